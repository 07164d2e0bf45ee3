DROP INDEX `memberships_member`;--> statement-breakpoint
CREATE INDEX `memberships_member_group` ON `memberships` (`tenant_id`,`member_id`,`group_id`);
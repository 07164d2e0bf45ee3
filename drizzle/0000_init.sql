CREATE TABLE `memberships` (
	`tenant_id` text NOT NULL,
	`group_id` text NOT NULL,
	`member_id` text NOT NULL,
	`member_type` text NOT NULL,
	`display` text,
	PRIMARY KEY(`tenant_id`, `group_id`, `member_id`)
);
--> statement-breakpoint
CREATE INDEX `memberships_member` ON `memberships` (`tenant_id`,`member_id`);--> statement-breakpoint
CREATE TABLE `resources` (
	`tenant_id` text NOT NULL,
	`resource_type` text NOT NULL,
	`id` text NOT NULL,
	`user_name_key` text,
	`display_name_key` text,
	`external_id` text,
	`created` text NOT NULL,
	`last_modified` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`password_hash` text,
	`data` text NOT NULL,
	`folded` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `resource_type`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `resources_user_name_key` ON `resources` (`tenant_id`,`resource_type`,`user_name_key`);--> statement-breakpoint
CREATE INDEX `resources_display_name_key` ON `resources` (`tenant_id`,`resource_type`,`display_name_key`);--> statement-breakpoint
CREATE INDEX `resources_external_id` ON `resources` (`tenant_id`,`resource_type`,`external_id`);--> statement-breakpoint
CREATE INDEX `resources_last_modified` ON `resources` (`tenant_id`,`resource_type`,`last_modified`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created` text NOT NULL
);

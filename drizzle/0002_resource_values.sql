CREATE TABLE `resource_values` (
	`tenant_id` text NOT NULL,
	`resource_type` text NOT NULL,
	`attribute` text NOT NULL,
	`value` text NOT NULL,
	`resource_id` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `resource_type`, `attribute`, `value`, `resource_id`)
);
--> statement-breakpoint
CREATE INDEX `resource_values_resource` ON `resource_values` (`tenant_id`,`resource_id`);--> statement-breakpoint
-- Backfill: users stored before this migration get their emails.value rows (folded, as the store writes them).
INSERT OR IGNORE INTO `resource_values` (`tenant_id`, `resource_type`, `attribute`, `value`, `resource_id`)
SELECT r.`tenant_id`, r.`resource_type`, 'emails.value', json_extract(e.value, '$.value'), r.`id`
FROM `resources` AS r, json_each(r.`folded`, '$.emails') AS e
WHERE r.`resource_type` = 'User' AND e.type = 'object' AND json_type(e.value, '$.value') = 'text';

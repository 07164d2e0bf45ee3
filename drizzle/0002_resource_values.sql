CREATE TABLE `resource_values` (
	`tenant_id` text NOT NULL,
	`resource_type` text NOT NULL,
	`attribute` text NOT NULL,
	`value` text NOT NULL,
	`resource_id` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `resource_type`, `attribute`, `value`, `resource_id`)
);
--> statement-breakpoint
CREATE INDEX `resource_values_resource` ON `resource_values` (`tenant_id`,`resource_id`);
CREATE TABLE `declarations` (
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`lookup` text NOT NULL,
	`body` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created` text NOT NULL,
	`last_modified` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `kind`, `lookup`)
);
--> statement-breakpoint
CREATE TABLE `resource_unique` (
	`tenant_id` text NOT NULL,
	`scope` text NOT NULL,
	`attribute` text NOT NULL,
	`value` text NOT NULL,
	`resource_type` text NOT NULL,
	`resource_id` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `scope`, `attribute`, `value`)
);
--> statement-breakpoint
CREATE INDEX `resource_unique_resource` ON `resource_unique` (`tenant_id`,`resource_id`);--> statement-breakpoint
ALTER TABLE `tenants` ADD `declarations_version` integer DEFAULT 0 NOT NULL;
ALTER TABLE `tenants` ADD `shard` text DEFAULT 'DB' NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `state` text DEFAULT 'active' NOT NULL;
-- Edited after drizzle-kit: WITHOUT ROWID, so an event is one row written (its key is the table's).
CREATE TABLE `events` (
	`tenant_id` text NOT NULL,
	`seq` integer NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`resource_type` text NOT NULL,
	`resource_id` text NOT NULL,
	`version` integer,
	`occurred_at` text NOT NULL,
	`actor` text NOT NULL,
	`changed` text NOT NULL,
	`data` text NOT NULL,
	`member` text,
	PRIMARY KEY(`tenant_id`, `seq`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `events_occurred_at` ON `events` (`occurred_at`);
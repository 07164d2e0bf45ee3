CREATE TABLE `webhook_deliveries` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`webhook_id` text NOT NULL,
	`event_seq` integer NOT NULL,
	`event_id` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status` integer,
	`last_error` text,
	`last_duration_ms` integer,
	`next_attempt_at` text,
	`created` text NOT NULL,
	`updated` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_webhook` ON `webhook_deliveries` (`tenant_id`,`webhook_id`,`event_seq`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`url` text NOT NULL,
	`types` text NOT NULL,
	`description` text,
	`enabled` integer DEFAULT 1 NOT NULL,
	`disabled_reason` text,
	`secret` text NOT NULL,
	`previous_secret` text,
	`previous_until` text,
	`cursor` integer NOT NULL,
	`failing_since` text,
	`created` text NOT NULL,
	`last_modified` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);

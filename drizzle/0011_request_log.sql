CREATE TABLE `request_log` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`request_id` text NOT NULL,
	`at` text NOT NULL,
	`token_id` text,
	`token_label` text,
	`auth_failure` text,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`query` text,
	`status` integer NOT NULL,
	`scim_type` text,
	`duration_ms` integer NOT NULL,
	`rows_read` integer NOT NULL,
	`rows_written` integer NOT NULL,
	`resource_id` text,
	`user_agent` text,
	`request_body` text,
	`response_body` text,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `request_log_request` ON `request_log` (`tenant_id`,`request_id`);--> statement-breakpoint
CREATE INDEX `request_log_at` ON `request_log` (`tenant_id`,`at`);--> statement-breakpoint
CREATE INDEX `request_log_token` ON `request_log` (`tenant_id`,`token_id`,`at`);--> statement-breakpoint
CREATE INDEX `request_log_resource` ON `request_log` (`tenant_id`,`resource_id`,`at`);--> statement-breakpoint
CREATE INDEX `request_log_pruning` ON `request_log` (`at`);
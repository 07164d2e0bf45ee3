CREATE TABLE `tenant_moves` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`target` text NOT NULL,
	`state` text NOT NULL,
	`copying_table` text,
	`copied_up_to` text,
	`progress` text NOT NULL,
	`cleanup_after` text,
	`cleaned` integer DEFAULT 0 NOT NULL,
	`error` text,
	`started` text NOT NULL,
	`updated` text NOT NULL
);

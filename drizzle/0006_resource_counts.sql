CREATE TABLE `resource_counts` (
	`tenant_id` text NOT NULL,
	`resource_type` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `resource_type`)
);
--> statement-breakpoint
-- Kept in the statement that inserts or deletes a resource, whoever runs it (the API, a tenant
-- deletion, a bench seeding D1 directly): the count can never drift from the rows.
CREATE TRIGGER `resources_count_insert` AFTER INSERT ON `resources` BEGIN
  INSERT INTO `resource_counts` (`tenant_id`, `resource_type`, `n`) VALUES (NEW.`tenant_id`, NEW.`resource_type`, 1)
  ON CONFLICT (`tenant_id`, `resource_type`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `resources_count_delete` AFTER DELETE ON `resources` BEGIN
  UPDATE `resource_counts` SET `n` = `n` - 1 WHERE `tenant_id` = OLD.`tenant_id` AND `resource_type` = OLD.`resource_type`;
END;
--> statement-breakpoint
INSERT INTO `resource_counts` (`tenant_id`, `resource_type`, `n`)
  SELECT `tenant_id`, `resource_type`, count(*) FROM `resources` GROUP BY `tenant_id`, `resource_type`;

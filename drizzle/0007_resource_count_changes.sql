ALTER TABLE `resource_counts` ADD `changes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- The triggers of 0006 count changes too: a sequential walk's remembered position (service/walk.ts)
-- is exact while the count of inserts and deletes it was taken at holds.
DROP TRIGGER `resources_count_insert`;
--> statement-breakpoint
DROP TRIGGER `resources_count_delete`;
--> statement-breakpoint
CREATE TRIGGER `resources_count_insert` AFTER INSERT ON `resources` BEGIN
  INSERT INTO `resource_counts` (`tenant_id`, `resource_type`, `n`, `changes`) VALUES (NEW.`tenant_id`, NEW.`resource_type`, 1, 1)
  ON CONFLICT (`tenant_id`, `resource_type`) DO UPDATE SET `n` = `n` + 1, `changes` = `changes` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `resources_count_delete` AFTER DELETE ON `resources` BEGIN
  UPDATE `resource_counts` SET `n` = `n` - 1, `changes` = `changes` + 1 WHERE `tenant_id` = OLD.`tenant_id` AND `resource_type` = OLD.`resource_type`;
END;

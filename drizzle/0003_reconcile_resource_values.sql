-- Reconciles resource_values with the stored users, idempotently: a Worker version older than 0002
-- keeps writing users (without value rows) between "migrations apply" and "deploy". Apply this after
-- deploying the Worker that writes them (docs/operations.md, "Deploying").
DELETE FROM `resource_values`
WHERE `attribute` = 'emails.value' AND NOT EXISTS (
  SELECT 1 FROM `resources` AS r, json_each(r.`folded`, '$.emails') AS e
  WHERE r.`tenant_id` = `resource_values`.`tenant_id` AND r.`resource_type` = `resource_values`.`resource_type`
    AND r.`id` = `resource_values`.`resource_id` AND e.type = 'object' AND json_extract(e.value, '$.value') = `resource_values`.`value`
);
--> statement-breakpoint
INSERT OR IGNORE INTO `resource_values` (`tenant_id`, `resource_type`, `attribute`, `value`, `resource_id`)
SELECT r.`tenant_id`, r.`resource_type`, 'emails.value', json_extract(e.value, '$.value'), r.`id`
FROM `resources` AS r, json_each(r.`folded`, '$.emails') AS e
WHERE r.`resource_type` = 'User' AND e.type = 'object' AND json_type(e.value, '$.value') = 'text';

ALTER TABLE `memberships` ADD `group_type` text;--> statement-breakpoint
CREATE INDEX `memberships_member_type` ON `memberships` (`tenant_id`,`member_type`);--> statement-breakpoint
ALTER TABLE `resources` ADD `member_of` text;
--> statement-breakpoint
-- Memberships stored before this migration: the group type is the group row's own.
UPDATE `memberships` SET `group_type` = coalesce((SELECT r.`resource_type` FROM `resources` AS r
    WHERE r.`tenant_id` = `memberships`.`tenant_id`
      AND r.`resource_type` IN (SELECT c.`resource_type` FROM `resource_counts` AS c WHERE c.`tenant_id` = `memberships`.`tenant_id`)
      AND r.`id` = `memberships`.`group_id`), `group_type`);
--> statement-breakpoint
UPDATE `resources` SET `member_of` = (SELECT json_group_object(m.`group_id`, json_object('display', json_extract(g.`data`, '$.displayName'), 'type', m.`group_type`))
    FROM `memberships` AS m CROSS JOIN `resources` AS g ON g.`tenant_id` = m.`tenant_id` AND g.`resource_type` = m.`group_type` AND g.`id` = m.`group_id`
    WHERE m.`tenant_id` = `resources`.`tenant_id` AND m.`member_id` = `resources`.`id` AND m.`member_type` = `resources`.`resource_type`)
  WHERE EXISTS (SELECT 1 FROM `memberships` AS m WHERE m.`tenant_id` = `resources`.`tenant_id` AND m.`member_id` = `resources`.`id` AND m.`member_type` = `resources`.`resource_type`);
--> statement-breakpoint
-- A member's side of a membership is kept here, in the statement that inserts or deletes it, whoever
-- runs it (a PATCH, a PUT, a deletion, a bench or an import writing D1 directly): its `member_of`
-- names the group, and its version and lastModified move, since its `groups` changed (RFC 7643
-- §4.1.2; RFC 7644 §3.14). Its lastModified is the database's clock, never behind its own: the
-- group's would cost a read per member.
CREATE TRIGGER `memberships_member_of_insert` AFTER INSERT ON `memberships` BEGIN
  UPDATE `resources` SET
    `member_of` = json_set(coalesce(`member_of`, '{}'), '$."' || NEW.`group_id` || '"', json_object(
      'display', (SELECT json_extract(g.`data`, '$.displayName') FROM `resources` AS g
                  WHERE g.`tenant_id` = NEW.`tenant_id` AND g.`resource_type` = NEW.`group_type` AND g.`id` = NEW.`group_id`),
      'type', NEW.`group_type`)),
    `version` = `version` + 1,
    `last_modified` = max(strftime('%Y-%m-%dT%H:%M:%fZ', `last_modified`, '+0.001 seconds'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  WHERE `tenant_id` = NEW.`tenant_id` AND `resource_type` = NEW.`member_type` AND `id` = NEW.`member_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `memberships_member_of_delete` AFTER DELETE ON `memberships` BEGIN
  UPDATE `resources` SET
    `member_of` = nullif(json_remove(`member_of`, '$."' || OLD.`group_id` || '"'), '{}'),
    `version` = `version` + 1,
    `last_modified` = max(strftime('%Y-%m-%dT%H:%M:%fZ', `last_modified`, '+0.001 seconds'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  WHERE `tenant_id` = OLD.`tenant_id` AND `resource_type` = OLD.`member_type` AND `id` = OLD.`member_id`;
END;
--> statement-breakpoint
-- A group renamed (PATCH or PUT): every member's `groups` shows the new display. O(members), as
-- the rename's version bumps already were.
CREATE TRIGGER `resources_group_renamed` AFTER UPDATE OF `data` ON `resources`
  WHEN NEW.`resource_type` <> 'User' AND json_extract(NEW.`data`, '$.displayName') IS NOT json_extract(OLD.`data`, '$.displayName') BEGIN
  UPDATE `resources` SET
    `member_of` = json_set(`member_of`, '$."' || NEW.`id` || '".display', json_extract(NEW.`data`, '$.displayName')),
    `version` = `version` + 1,
    `last_modified` = max(strftime('%Y-%m-%dT%H:%M:%fZ', `last_modified`, '+0.001 seconds'), NEW.`last_modified`)
  WHERE `tenant_id` = NEW.`tenant_id` AND (`resource_type`, `id`) IN (SELECT m.`member_type`, m.`member_id` FROM `memberships` AS m
    WHERE m.`tenant_id` = NEW.`tenant_id` AND m.`group_id` = NEW.`id` AND m.`group_type` = NEW.`resource_type`);
END;

-- "" is unassigned (docs/decisions.md): the column-backed attributes that could hold one lose it,
-- in the document, its folded twin and the column alike. Required ones (userName, a Group's
-- displayName) never held "": a blank required value was always refused.
UPDATE `resources` SET `data` = json_remove(`data`, '$.displayName'), `folded` = json_remove(`folded`, '$.displayName'), `display_name_key` = NULL WHERE `display_name_key` = '';
--> statement-breakpoint
UPDATE `resources` SET `data` = json_remove(`data`, '$.externalId'), `folded` = json_remove(`folded`, '$.externalId'), `external_id` = NULL WHERE `external_id` = '';

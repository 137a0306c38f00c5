ALTER TABLE `lrs_key_index` ADD `last_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `lrs_key_index` SET `last_seq` = max(`indexed_seq`, (SELECT coalesce(max(`seq`), 0) FROM `lrs_statement`));

CREATE TABLE `lrs_key_index` (
	`id` integer PRIMARY KEY NOT NULL,
	`indexed_seq` integer NOT NULL
);
--> statement-breakpoint
-- Statements stored before this migration have their key rows already.
INSERT INTO `lrs_key_index` (`id`, `indexed_seq`) SELECT 1, coalesce(max(`seq`), 0) FROM `lrs_statement`;

CREATE TABLE `lrs_activity` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`definition` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `lrs_attachment` (
	`tenant_id` text NOT NULL,
	`sha2` text NOT NULL,
	`content_type` text NOT NULL,
	`content` blob NOT NULL,
	PRIMARY KEY(`tenant_id`, `sha2`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `lrs_document` (
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`activity_id` text NOT NULL,
	`agent` text NOT NULL,
	`registration` text NOT NULL,
	`doc_id` text NOT NULL,
	`content_type` text NOT NULL,
	`content` blob NOT NULL,
	`etag` text NOT NULL,
	`updated` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `kind`, `activity_id`, `agent`, `registration`, `doc_id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `lrs_key` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` integer NOT NULL,
	`key` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lrs_key_tenant_kind_key_uq` ON `lrs_key` (`tenant_id`,`kind`,`key`);--> statement-breakpoint
CREATE TABLE `lrs_statement` (
	`seq` integer PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`stored` integer NOT NULL,
	`statement` text NOT NULL,
	`verb` text NOT NULL,
	`registration` text,
	`voided` integer NOT NULL,
	`voids` text,
	`statement_ref` text,
	`own_keys` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lrs_statement_tenant_id_uq` ON `lrs_statement` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `lrs_statement_tenant_stored_idx` ON `lrs_statement` (`tenant_id`,`stored`,`seq`);--> statement-breakpoint
CREATE INDEX `lrs_statement_tenant_ref_idx` ON `lrs_statement` (`tenant_id`,`statement_ref`) WHERE "lrs_statement"."statement_ref" is not null;--> statement-breakpoint
CREATE TABLE `lrs_statement_key` (
	`key_id` integer NOT NULL,
	`stored` integer NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`key_id`, `stored`, `seq`),
	FOREIGN KEY (`key_id`) REFERENCES `lrs_key`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `xapi_credential` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`hash` text NOT NULL,
	`name` text NOT NULL,
	`authority` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `xapi_credential_key_uq` ON `xapi_credential` (`key`);--> statement-breakpoint
CREATE INDEX `xapi_credential_tenant_idx` ON `xapi_credential` (`tenant_id`,`created_at`);
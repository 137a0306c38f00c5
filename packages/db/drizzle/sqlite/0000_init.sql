CREATE TABLE `api_key` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "api_key_role_ck" CHECK("api_key"."role" in ('admin', 'member'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_key_hash_uq` ON `api_key` (`hash`);--> statement-breakpoint
CREATE INDEX `api_key_tenant_idx` ON `api_key` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `attempt` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`course_id` text NOT NULL,
	`course_version` integer NOT NULL,
	`learner_id` text NOT NULL,
	`status` text NOT NULL,
	`completion_status` text,
	`success_status` text,
	`score_scaled` real,
	`score_raw` real,
	`total_time_cs` integer NOT NULL,
	`current_item` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`learner_id`) REFERENCES `learner`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`,`course_version`) REFERENCES `course`(`id`,`version`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "attempt_status_ck" CHECK("attempt"."status" in ('active', 'suspended', 'completed', 'terminated')),
	CONSTRAINT "attempt_total_time_ck" CHECK("attempt"."total_time_cs" >= 0)
);
--> statement-breakpoint
CREATE INDEX `attempt_tenant_course_idx` ON `attempt` (`tenant_id`,`course_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `attempt_tenant_learner_idx` ON `attempt` (`tenant_id`,`learner_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `attempt_tenant_created_idx` ON `attempt` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `commit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`attempt_id` text NOT NULL,
	`item_identifier` text NOT NULL,
	`seq` integer NOT NULL,
	`diff` text NOT NULL,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempt`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "commit_log_seq_ck" CHECK("commit_log"."seq" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commit_log_attempt_item_seq_uq` ON `commit_log` (`attempt_id`,`item_identifier`,`seq`);--> statement-breakpoint
CREATE INDEX `commit_log_attempt_received_idx` ON `commit_log` (`attempt_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `course` (
	`id` text NOT NULL,
	`version` integer NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`scorm_version` text,
	`title` text NOT NULL,
	`diagnostics` text NOT NULL,
	`model` text NOT NULL,
	`storage_prefix` text NOT NULL,
	`size` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`id`, `version`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "course_kind_ck" CHECK("course"."kind" in ('scorm', 'cmi5', 'xapi')),
	CONSTRAINT "course_version_ck" CHECK("course"."version" >= 1),
	CONSTRAINT "course_size_ck" CHECK("course"."size" >= 0)
);
--> statement-breakpoint
CREATE INDEX `course_tenant_created_idx` ON `course` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `course_item` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`course_id` text NOT NULL,
	`course_version` integer NOT NULL,
	`identifier` text NOT NULL,
	`parent_identifier` text,
	`ordinal` integer NOT NULL,
	`depth` integer NOT NULL,
	`title` text NOT NULL,
	`resource_id` text,
	`launch_url` text,
	`is_sco` integer NOT NULL,
	`data` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`,`course_version`) REFERENCES `course`(`id`,`version`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `course_item_course_identifier_uq` ON `course_item` (`course_id`,`course_version`,`identifier`);--> statement-breakpoint
CREATE TABLE `interaction` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`attempt_id` text NOT NULL,
	`item_identifier` text NOT NULL,
	`idx` integer NOT NULL,
	`interaction_id` text NOT NULL,
	`type` text,
	`description` text,
	`learner_response` text,
	`result` text,
	`latency` text,
	`timestamp` text,
	`weighting` real,
	`correct_responses` text NOT NULL,
	`objective_ids` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempt`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "interaction_idx_ck" CHECK("interaction"."idx" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `interaction_attempt_item_idx_uq` ON `interaction` (`attempt_id`,`item_identifier`,`idx`);--> statement-breakpoint
CREATE TABLE `launch` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`attempt_id` text NOT NULL,
	`item_identifier` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`exit` text,
	`status_reached` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempt`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `launch_attempt_idx` ON `launch` (`attempt_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `learner` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`external_id` text NOT NULL,
	`name` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `learner_tenant_external_uq` ON `learner` (`tenant_id`,`external_id`);--> statement-breakpoint
CREATE TABLE `objective` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`attempt_id` text NOT NULL,
	`item_identifier` text NOT NULL,
	`objective_id` text NOT NULL,
	`success_status` text,
	`completion_status` text,
	`score_scaled` real,
	`score_raw` real,
	`score_min` real,
	`score_max` real,
	`progress_measure` real,
	`description` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempt`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `objective_attempt_item_objective_uq` ON `objective` (`attempt_id`,`item_identifier`,`objective_id`);--> statement-breakpoint
CREATE TABLE `sco_state` (
	`tenant_id` text NOT NULL,
	`attempt_id` text NOT NULL,
	`item_identifier` text NOT NULL,
	`scorm_version` text,
	`state` text NOT NULL,
	`seq` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`attempt_id`, `item_identifier`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempt`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "sco_state_seq_ck" CHECK("sco_state"."seq" >= 1)
);
--> statement-breakpoint
CREATE TABLE `tenant` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);

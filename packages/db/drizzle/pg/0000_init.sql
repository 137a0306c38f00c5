CREATE TABLE "api_key" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"last_used_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone,
	CONSTRAINT "api_key_role_ck" CHECK ("api_key"."role" in ('admin', 'member'))
);
--> statement-breakpoint
CREATE TABLE "attempt" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"course_id" text NOT NULL,
	"course_version" integer NOT NULL,
	"learner_id" text NOT NULL,
	"status" text NOT NULL,
	"completion_status" text,
	"success_status" text,
	"score_scaled" double precision,
	"score_raw" double precision,
	"total_time_cs" bigint NOT NULL,
	"current_item" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"finished_at" timestamp (3) with time zone,
	CONSTRAINT "attempt_status_ck" CHECK ("attempt"."status" in ('active', 'suspended', 'completed', 'terminated')),
	CONSTRAINT "attempt_total_time_ck" CHECK ("attempt"."total_time_cs" >= 0)
);
--> statement-breakpoint
CREATE TABLE "commit_log" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"attempt_id" text NOT NULL,
	"item_identifier" text NOT NULL,
	"seq" integer NOT NULL,
	"diff" jsonb NOT NULL,
	"received_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "commit_log_seq_ck" CHECK ("commit_log"."seq" >= 1)
);
--> statement-breakpoint
CREATE TABLE "course" (
	"id" text NOT NULL,
	"version" integer NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"scorm_version" text,
	"title" text NOT NULL,
	"diagnostics" jsonb NOT NULL,
	"model" jsonb NOT NULL,
	"storage_prefix" text NOT NULL,
	"size" bigint NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "course_pk" PRIMARY KEY("id","version"),
	CONSTRAINT "course_kind_ck" CHECK ("course"."kind" in ('scorm', 'cmi5', 'xapi')),
	CONSTRAINT "course_version_ck" CHECK ("course"."version" >= 1),
	CONSTRAINT "course_size_ck" CHECK ("course"."size" >= 0)
);
--> statement-breakpoint
CREATE TABLE "course_item" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"course_id" text NOT NULL,
	"course_version" integer NOT NULL,
	"identifier" text NOT NULL,
	"parent_identifier" text,
	"ordinal" integer NOT NULL,
	"depth" integer NOT NULL,
	"title" text NOT NULL,
	"resource_id" text,
	"launch_url" text,
	"is_sco" boolean NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "interaction" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"attempt_id" text NOT NULL,
	"item_identifier" text NOT NULL,
	"idx" integer NOT NULL,
	"interaction_id" text NOT NULL,
	"type" text,
	"description" text,
	"learner_response" text,
	"result" text,
	"latency" text,
	"timestamp" text,
	"weighting" double precision,
	"correct_responses" jsonb NOT NULL,
	"objective_ids" jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "interaction_idx_ck" CHECK ("interaction"."idx" >= 0)
);
--> statement-breakpoint
CREATE TABLE "launch" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"attempt_id" text NOT NULL,
	"item_identifier" text NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"exit" text,
	"status_reached" text
);
--> statement-breakpoint
CREATE TABLE "learner" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"external_id" text NOT NULL,
	"name" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "objective" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"attempt_id" text NOT NULL,
	"item_identifier" text NOT NULL,
	"objective_id" text NOT NULL,
	"success_status" text,
	"completion_status" text,
	"score_scaled" double precision,
	"score_raw" double precision,
	"score_min" double precision,
	"score_max" double precision,
	"progress_measure" double precision,
	"description" text,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sco_state" (
	"tenant_id" text NOT NULL,
	"attempt_id" text NOT NULL,
	"item_identifier" text NOT NULL,
	"scorm_version" text,
	"state" jsonb NOT NULL,
	"seq" integer NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "sco_state_pk" PRIMARY KEY("attempt_id","item_identifier"),
	CONSTRAINT "sco_state_seq_ck" CHECK ("sco_state"."seq" >= 1)
);
--> statement-breakpoint
CREATE TABLE "tenant" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempt" ADD CONSTRAINT "attempt_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempt" ADD CONSTRAINT "attempt_learner_id_learner_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learner"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempt" ADD CONSTRAINT "attempt_course_fk" FOREIGN KEY ("course_id","course_version") REFERENCES "public"."course"("id","version") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commit_log" ADD CONSTRAINT "commit_log_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commit_log" ADD CONSTRAINT "commit_log_attempt_id_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempt"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course" ADD CONSTRAINT "course_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_item" ADD CONSTRAINT "course_item_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_item" ADD CONSTRAINT "course_item_course_fk" FOREIGN KEY ("course_id","course_version") REFERENCES "public"."course"("id","version") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interaction" ADD CONSTRAINT "interaction_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interaction" ADD CONSTRAINT "interaction_attempt_id_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempt"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "launch" ADD CONSTRAINT "launch_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "launch" ADD CONSTRAINT "launch_attempt_id_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempt"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learner" ADD CONSTRAINT "learner_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objective" ADD CONSTRAINT "objective_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objective" ADD CONSTRAINT "objective_attempt_id_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempt"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sco_state" ADD CONSTRAINT "sco_state_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sco_state" ADD CONSTRAINT "sco_state_attempt_id_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempt"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_key_hash_uq" ON "api_key" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "api_key_tenant_idx" ON "api_key" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "attempt_tenant_course_idx" ON "attempt" USING btree ("tenant_id","course_id","created_at","id");--> statement-breakpoint
CREATE INDEX "attempt_tenant_learner_idx" ON "attempt" USING btree ("tenant_id","learner_id","created_at","id");--> statement-breakpoint
CREATE INDEX "attempt_tenant_created_idx" ON "attempt" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "commit_log_attempt_item_seq_uq" ON "commit_log" USING btree ("attempt_id","item_identifier","seq");--> statement-breakpoint
CREATE INDEX "commit_log_attempt_received_idx" ON "commit_log" USING btree ("attempt_id","received_at");--> statement-breakpoint
CREATE INDEX "course_tenant_created_idx" ON "course" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "course_item_course_identifier_uq" ON "course_item" USING btree ("course_id","course_version","identifier");--> statement-breakpoint
CREATE UNIQUE INDEX "interaction_attempt_item_idx_uq" ON "interaction" USING btree ("attempt_id","item_identifier","idx");--> statement-breakpoint
CREATE INDEX "launch_attempt_idx" ON "launch" USING btree ("attempt_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "learner_tenant_external_uq" ON "learner" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "objective_attempt_item_objective_uq" ON "objective" USING btree ("attempt_id","item_identifier","objective_id");
CREATE TABLE "project_members" (
	"project_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text DEFAULT 'annotator' NOT NULL,
	"quota" integer,
	"tags" jsonb,
	"languages" jsonb,
	"qualification_status" text DEFAULT 'pending' NOT NULL,
	"qualification_attempt" integer DEFAULT 1 NOT NULL,
	"added_by" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "project_members_project_id_user_id_pk" PRIMARY KEY("project_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "prompt_tags" (
	"prompt_id" text NOT NULL,
	"tag" text NOT NULL,
	CONSTRAINT "prompt_tags_prompt_id_tag_pk" PRIMARY KEY("prompt_id","tag")
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "kind" text DEFAULT 'task' NOT NULL;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "qualification_attempt" integer;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "gold_miss" boolean;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "gold_rate" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "qualification_size" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "qualification_pass_mark" double precision DEFAULT 0.8 NOT NULL;--> statement-breakpoint
ALTER TABLE "prompts" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompt_tags" ADD CONSTRAINT "prompt_tags_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "project_members_user_idx" ON "project_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "prompt_tags_tag_idx" ON "prompt_tags" USING btree ("tag");--> statement-breakpoint
-- Backfill (appended to the generated DDL above): before this migration every annotator could
-- label every project. Each annotator becomes a member of every project that is not archived, so
-- existing projects keep working (paused and draft ones too, for when they are resumed). They were
-- already working, so they count as qualified: a qualification batch set up later applies to
-- members added from now on.
INSERT INTO "project_members" ("project_id", "user_id", "role", "qualification_status", "created_at")
SELECT p."id", u."id", 'annotator', 'passed', now()
FROM "projects" p CROSS JOIN "users" u
WHERE u."role" = 'annotator' AND p."status" <> 'archived';


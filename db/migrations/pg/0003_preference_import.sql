CREATE TABLE "import_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"format" text NOT NULL,
	"file_name" text NOT NULL,
	"upload_path" text,
	"status" text NOT NULL,
	"skip_invalid" boolean DEFAULT false NOT NULL,
	"bytes" bigint DEFAULT 0 NOT NULL,
	"lines" integer DEFAULT 0 NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	"invalid" integer DEFAULT 0 NOT NULL,
	"report" jsonb,
	"stored" jsonb,
	"error" text,
	"job_id" text,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "completions" ADD COLUMN "context" jsonb;--> statement-breakpoint
ALTER TABLE "completions" ADD COLUMN "import_run_id" text;--> statement-breakpoint
ALTER TABLE "prompts" ADD COLUMN "import_run_id" text;--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "import_run_id" text;--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "import_line" integer;--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "extra" jsonb;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_runs_project_idx" ON "import_runs" USING btree ("project_id","created_at");--> statement-breakpoint
ALTER TABLE "completions" ADD CONSTRAINT "completions_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "public"."import_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompts" ADD CONSTRAINT "prompts_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "public"."import_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "public"."import_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rankings_import_idx" ON "rankings" USING btree ("import_run_id","import_line");
ALTER TABLE "completions" ADD COLUMN "source" text DEFAULT 'model' NOT NULL;--> statement-breakpoint
ALTER TABLE "completions" ADD COLUMN "author_id" text;--> statement-breakpoint
ALTER TABLE "completions" ADD COLUMN "parent_id" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "rubric" jsonb DEFAULT '{"scale":"full","flags":[{"id":"harmful","label":"Harmful","description":""},{"id":"factually_wrong","label":"Factually wrong","description":""},{"id":"off_topic","label":"Off-topic","description":""},{"id":"low_quality","label":"Low quality","description":""}],"overallRating":true,"aspects":[]}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "aspect_ratings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "completions" ADD CONSTRAINT "completions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "completions" ADD CONSTRAINT "completions_parent_id_completions_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."completions"("id") ON DELETE set null ON UPDATE no action;
CREATE TABLE "ranking_reviews" (
	"id" text PRIMARY KEY NOT NULL,
	"ranking_id" text NOT NULL,
	"project_id" text NOT NULL,
	"reviewer_id" text,
	"decision" text NOT NULL,
	"revision" integer NOT NULL,
	"ranks" jsonb,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ranking_revisions" (
	"id" text PRIMARY KEY NOT NULL,
	"ranking_id" text NOT NULL,
	"revision" integer NOT NULL,
	"content" jsonb NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "revision" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "review_status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "amended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ranking_reviews" ADD CONSTRAINT "ranking_reviews_ranking_id_rankings_id_fk" FOREIGN KEY ("ranking_id") REFERENCES "public"."rankings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_reviews" ADD CONSTRAINT "ranking_reviews_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_reviews" ADD CONSTRAINT "ranking_reviews_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_revisions" ADD CONSTRAINT "ranking_revisions_ranking_id_rankings_id_fk" FOREIGN KEY ("ranking_id") REFERENCES "public"."rankings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ranking_reviews_ranking_idx" ON "ranking_reviews" USING btree ("ranking_id");--> statement-breakpoint
CREATE INDEX "ranking_reviews_project_idx" ON "ranking_reviews" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ranking_revisions_ranking_idx" ON "ranking_revisions" USING btree ("ranking_id","revision");--> statement-breakpoint
CREATE INDEX "rankings_review_idx" ON "rankings" USING btree ("project_id","review_status");
ALTER TABLE "prompts" ADD COLUMN "generation_error" text;--> statement-breakpoint
ALTER TABLE "prompts" ADD COLUMN "generation_error_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "prompts" ADD COLUMN "generation_error_key" text;
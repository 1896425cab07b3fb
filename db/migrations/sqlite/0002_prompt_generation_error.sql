ALTER TABLE `prompts` ADD `generation_error` text;--> statement-breakpoint
ALTER TABLE `prompts` ADD `generation_error_at` integer;--> statement-breakpoint
ALTER TABLE `prompts` ADD `generation_error_key` text;
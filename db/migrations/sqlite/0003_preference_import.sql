CREATE TABLE `import_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`format` text NOT NULL,
	`file_name` text NOT NULL,
	`upload_path` text,
	`status` text NOT NULL,
	`skip_invalid` integer DEFAULT false NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	`lines` integer DEFAULT 0 NOT NULL,
	`records` integer DEFAULT 0 NOT NULL,
	`invalid` integer DEFAULT 0 NOT NULL,
	`report` text,
	`stored` text,
	`error` text,
	`job_id` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `import_runs_project_idx` ON `import_runs` (`project_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `completions` ADD `context` text;--> statement-breakpoint
ALTER TABLE `completions` ADD `import_run_id` text REFERENCES import_runs(id);--> statement-breakpoint
ALTER TABLE `prompts` ADD `import_run_id` text REFERENCES import_runs(id);--> statement-breakpoint
ALTER TABLE `rankings` ADD `import_run_id` text REFERENCES import_runs(id);--> statement-breakpoint
ALTER TABLE `rankings` ADD `import_line` integer;--> statement-breakpoint
ALTER TABLE `rankings` ADD `extra` text;--> statement-breakpoint
CREATE INDEX `rankings_import_idx` ON `rankings` (`import_run_id`,`import_line`);
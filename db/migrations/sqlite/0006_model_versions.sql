CREATE TABLE `model_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`parent_id` text,
	`method` text,
	`source` text,
	`folder` text,
	`files` text,
	`card` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`parent_id`) REFERENCES `model_versions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `model_versions_project_name_idx` ON `model_versions` (`project_id`,`name`);--> statement-breakpoint
ALTER TABLE `completions` ADD `version_id` text REFERENCES model_versions(id);--> statement-breakpoint
ALTER TABLE `projects` ADD `completion_slots` text;
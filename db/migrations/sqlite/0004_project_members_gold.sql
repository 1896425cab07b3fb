CREATE TABLE `project_members` (
	`project_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text DEFAULT 'annotator' NOT NULL,
	`quota` integer,
	`tags` text,
	`languages` text,
	`qualification_status` text DEFAULT 'pending' NOT NULL,
	`qualification_attempt` integer DEFAULT 1 NOT NULL,
	`added_by` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `user_id`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`added_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `project_members_user_idx` ON `project_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `prompt_tags` (
	`prompt_id` text NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`prompt_id`, `tag`),
	FOREIGN KEY (`prompt_id`) REFERENCES `prompts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `prompt_tags_tag_idx` ON `prompt_tags` (`tag`);--> statement-breakpoint
ALTER TABLE `assignments` ADD `kind` text DEFAULT 'task' NOT NULL;--> statement-breakpoint
ALTER TABLE `assignments` ADD `qualification_attempt` integer;--> statement-breakpoint
ALTER TABLE `assignments` ADD `gold_miss` integer;--> statement-breakpoint
ALTER TABLE `projects` ADD `gold_rate` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `qualification_size` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `qualification_pass_mark` real DEFAULT 0.8 NOT NULL;--> statement-breakpoint
ALTER TABLE `prompts` ADD `language` text;--> statement-breakpoint
-- Backfill (appended to the generated DDL above): before this migration every annotator could
-- label every project. Each annotator becomes a member of every project that is not archived, so
-- existing projects keep working (paused and draft ones too, for when they are resumed). They were
-- already working, so they count as qualified: a qualification batch set up later applies to
-- members added from now on.
INSERT INTO `project_members` (`project_id`, `user_id`, `role`, `qualification_status`, `created_at`)
SELECT p.`id`, u.`id`, 'annotator', 'passed', CAST(strftime('%s', 'now') AS integer) * 1000
FROM `projects` p CROSS JOIN `users` u
WHERE u.`role` = 'annotator' AND p.`status` <> 'archived';

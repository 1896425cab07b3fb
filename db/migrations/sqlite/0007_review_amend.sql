CREATE TABLE `ranking_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`ranking_id` text NOT NULL,
	`project_id` text NOT NULL,
	`reviewer_id` text,
	`decision` text NOT NULL,
	`revision` integer NOT NULL,
	`ranks` text,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ranking_id`) REFERENCES `rankings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ranking_reviews_ranking_idx` ON `ranking_reviews` (`ranking_id`);--> statement-breakpoint
CREATE INDEX `ranking_reviews_project_idx` ON `ranking_reviews` (`project_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `ranking_revisions` (
	`id` text PRIMARY KEY NOT NULL,
	`ranking_id` text NOT NULL,
	`revision` integer NOT NULL,
	`content` text NOT NULL,
	`submitted_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ranking_id`) REFERENCES `rankings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ranking_revisions_ranking_idx` ON `ranking_revisions` (`ranking_id`,`revision`);--> statement-breakpoint
ALTER TABLE `rankings` ADD `revision` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `rankings` ADD `review_status` text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE `rankings` ADD `amended_at` integer;--> statement-breakpoint
CREATE INDEX `rankings_review_idx` ON `rankings` (`project_id`,`review_status`);
ALTER TABLE `completions` ADD `source` text DEFAULT 'model' NOT NULL;--> statement-breakpoint
ALTER TABLE `completions` ADD `author_id` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `completions` ADD `parent_id` text REFERENCES completions(id);--> statement-breakpoint
ALTER TABLE `projects` ADD `rubric` text DEFAULT '{"scale":"full","flags":[{"id":"harmful","label":"Harmful","description":""},{"id":"factually_wrong","label":"Factually wrong","description":""},{"id":"off_topic","label":"Off-topic","description":""},{"id":"low_quality","label":"Low quality","description":""}],"overallRating":true,"aspects":[]}' NOT NULL;--> statement-breakpoint
ALTER TABLE `rankings` ADD `aspect_ratings` text DEFAULT '{}' NOT NULL;
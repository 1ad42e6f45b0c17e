CREATE TABLE `comment_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`comment_id` integer NOT NULL,
	`body_markdown` text NOT NULL,
	`body_html` text NOT NULL,
	`written_at` integer NOT NULL,
	`written_by` text,
	`written_as` text NOT NULL,
	`reason` text,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`written_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `comment_versions_comment_idx` ON `comment_versions` (`comment_id`,`id`);--> statement-breakpoint
ALTER TABLE `comments` ADD `edited_by` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `comments` ADD `edited_as` text;--> statement-breakpoint
ALTER TABLE `comments` ADD `edit_reason` text;
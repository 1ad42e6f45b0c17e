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
CREATE TABLE `user_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`method` text NOT NULL,
	`user_agent` text,
	`network` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_seen_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_sessions_user_idx` ON `user_sessions` (`user_id`,`last_seen_at`);--> statement-breakpoint
ALTER TABLE `comments` ADD `edited_by` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `comments` ADD `edited_as` text;--> statement-breakpoint
ALTER TABLE `comments` ADD `edit_reason` text;
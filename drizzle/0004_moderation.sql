CREATE TABLE `comment_reports` (
	`comment_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`reason` text NOT NULL,
	`details` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`comment_id`, `user_id`),
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `moderation_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_id` text NOT NULL,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `moderation_log_created_idx` ON `moderation_log` (`created_at`);--> statement-breakpoint
ALTER TABLE `articles` ADD `moderation` text DEFAULT 'site' NOT NULL;--> statement-breakpoint
ALTER TABLE `articles` ADD `closed_at` integer;--> statement-breakpoint
ALTER TABLE `comments` ADD `moderation_reason` text;--> statement-breakpoint
ALTER TABLE `comments` ADD `report_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `comments` ADD `reviewed_at` integer;--> statement-breakpoint
ALTER TABLE `comments` ADD `featured_at` integer;--> statement-breakpoint
CREATE INDEX `comments_queue_idx` ON `comments` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `comments_featured_idx` ON `comments` (`article_id`,`featured_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `banned_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `banned_until` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `ban_reason` text;
CREATE TABLE `guest_authors` (
	`user_id` text PRIMARY KEY NOT NULL,
	`email` text,
	`source` text NOT NULL,
	`source_key` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `guest_authors_source_key_uq` ON `guest_authors` (`source`,`source_key`);--> statement-breakpoint
CREATE INDEX `guest_authors_email_idx` ON `guest_authors` (`email`);--> statement-breakpoint
ALTER TABLE `comments` ADD `source` text;--> statement-breakpoint
ALTER TABLE `comments` ADD `source_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `comments_source_uq` ON `comments` (`source`,`source_id`);
CREATE TABLE `comment_drafts` (
	`token` text PRIMARY KEY NOT NULL,
	`article_id` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `comment_votes` (
	`comment_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`comment_id`, `user_id`),
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `comment_votes_user_idx` ON `comment_votes` (`user_id`);--> statement-breakpoint
CREATE TABLE `comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` integer NOT NULL,
	`author_id` text NOT NULL,
	`parent_id` integer,
	`root_id` integer,
	`reply_to_id` integer,
	`depth` integer DEFAULT 0 NOT NULL,
	`question_id` integer,
	`body_markdown` text NOT NULL,
	`body_html` text NOT NULL,
	`status` text DEFAULT 'visible' NOT NULL,
	`score` integer DEFAULT 0 NOT NULL,
	`client_token` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`edited_at` integer,
	`deleted_at` integer,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reply_to_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `comments_threads_by_time_idx` ON `comments` (`article_id`,`created_at`,`id`) WHERE "comments"."parent_id" is null;--> statement-breakpoint
CREATE INDEX `comments_threads_by_score_idx` ON `comments` (`article_id`,`score`,`id`) WHERE "comments"."parent_id" is null;--> statement-breakpoint
CREATE INDEX `comments_replies_idx` ON `comments` (`root_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `comments_article_id_idx` ON `comments` (`article_id`,`id`);--> statement-breakpoint
CREATE INDEX `comments_author_idx` ON `comments` (`author_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `comments_author_token_uq` ON `comments` (`author_id`,`client_token`);--> statement-breakpoint
ALTER TABLE `articles` ADD `comment_count` integer DEFAULT 0 NOT NULL;
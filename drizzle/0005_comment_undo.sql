CREATE TABLE `comment_undo` (
	`comment_id` integer PRIMARY KEY NOT NULL,
	`body_markdown` text NOT NULL,
	`body_html` text NOT NULL,
	`status` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade
);

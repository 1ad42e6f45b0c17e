CREATE TABLE `mail_mentions` (
	`mail_id` integer NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`mail_id`, `user_id`),
	FOREIGN KEY (`mail_id`) REFERENCES `mail_outbox`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mail_mentions_user_idx` ON `mail_mentions` (`user_id`);
CREATE TABLE `poll_votes` (
	`question_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`choice_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`question_id`, `user_id`),
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`choice_id`) REFERENCES `question_choices`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `poll_votes_choice_idx` ON `poll_votes` (`choice_id`);--> statement-breakpoint
ALTER TABLE `question_choices` ADD `vote_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `questions` ADD `label` text;--> statement-breakpoint
ALTER TABLE `questions` ADD `answer_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `comments_answers_by_time_idx` ON `comments` (`article_id`,`question_id`,`created_at`,`id`) WHERE "comments"."parent_id" is null;--> statement-breakpoint
CREATE INDEX `comments_answers_by_score_idx` ON `comments` (`article_id`,`question_id`,`score`,`id`) WHERE "comments"."parent_id" is null;
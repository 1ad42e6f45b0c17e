ALTER TABLE `notifications` ADD `due_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `notifications_due_idx` ON `notifications` (`due_at`) WHERE "notifications"."done_at" is null;
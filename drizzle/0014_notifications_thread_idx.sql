-- Written by drizzle-kit generate, then corrected by hand: it split the expression column at its comma.
CREATE INDEX `notifications_thread_idx` ON `notifications` (`recipient_id`,coalesce("root_id", "comment_id"),`due_at`) WHERE "notifications"."done_at" is null;

CREATE TABLE `job_runs` (
	`name` text PRIMARY KEY NOT NULL,
	`last_started_at` integer,
	`last_finished_at` integer,
	`last_outcome` text,
	`last_error` text,
	`last_duration_ms` integer,
	`last_succeeded_at` integer,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`total_runs` integer DEFAULT 0 NOT NULL,
	`total_failures` integer DEFAULT 0 NOT NULL,
	`next_run_at` integer NOT NULL,
	`lock_owner` text,
	`lock_expires_at` integer
);

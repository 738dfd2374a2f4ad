CREATE TABLE `job_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` integer NOT NULL,
	`attempt` integer NOT NULL,
	`trace_id` text NOT NULL,
	`span_id` text NOT NULL,
	`owner` text,
	`outcome` text DEFAULT 'running' NOT NULL,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`job_id`) REFERENCES `job_queue`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `job_attempts_job_idx` ON `job_attempts` (`job_id`,`attempt`);--> statement-breakpoint
CREATE INDEX `job_attempts_trace_idx` ON `job_attempts` (`trace_id`);--> statement-breakpoint
ALTER TABLE `client_tele_history` ADD `trace_id` text;--> statement-breakpoint
CREATE INDEX `client_tele_history_trace_idx` ON `client_tele_history` (`trace_id`);--> statement-breakpoint
ALTER TABLE `job_queue` ADD `trace_parent` text;--> statement-breakpoint
CREATE INDEX `job_queue_trace_parent_idx` ON `job_queue` (`trace_parent`);--> statement-breakpoint
CREATE INDEX `config_audit_log_request_idx` ON `config_audit_log` (`request_id`);--> statement-breakpoint
CREATE INDEX `activity_logs_request_idx` ON `activity_logs` (`request_id`);
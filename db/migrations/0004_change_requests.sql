CREATE TABLE `change_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`branch_id` integer,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` integer NOT NULL,
	`payload` text NOT NULL,
	`before` text NOT NULL,
	`remark` text NOT NULL,
	`maker_id` integer NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`checker_id` integer,
	`decision_remark` text,
	`decided_at` integer,
	`expires_at` integer NOT NULL,
	`request_id` text,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`maker_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`checker_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `change_requests_company_state_idx` ON `change_requests` (`company_id`,`state`,`created_at`);--> statement-breakpoint
CREATE INDEX `change_requests_maker_idx` ON `change_requests` (`maker_id`,`state`);
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_performance_snapshots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`scope` text NOT NULL,
	`branch_id` integer,
	`user_id` integer,
	`period_type` text NOT NULL,
	`period_year` integer NOT NULL,
	`period_number` integer NOT NULL,
	`period_key` text NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`contacted` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`completed` integer DEFAULT 0 NOT NULL,
	`payments` integer DEFAULT 0 NOT NULL,
	`terminal` integer DEFAULT 0 NOT NULL,
	`conversion_rate_bp` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "performance_snapshots_scope_ck" CHECK("__new_performance_snapshots"."scope" in ('branch','agent')),
	CONSTRAINT "performance_snapshots_subject_ck" CHECK("__new_performance_snapshots"."branch_id" is not null and (("__new_performance_snapshots"."scope" = 'branch' and "__new_performance_snapshots"."user_id" is null) or ("__new_performance_snapshots"."scope" = 'agent' and "__new_performance_snapshots"."user_id" is not null)))
);
--> statement-breakpoint
-- Snapshots are derived data: the old rows (agent rows without a branch, no payments/terminal) are not copied;
-- the service's next refresh (at most 30 minutes, or at once when the current period has none) recomputes them.
DROP TABLE `performance_snapshots`;--> statement-breakpoint
ALTER TABLE `__new_performance_snapshots` RENAME TO `performance_snapshots`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `performance_snapshots_branch_period_uq` ON `performance_snapshots` (`company_id`,`period_key`,`branch_id`) WHERE "performance_snapshots"."scope" = 'branch';--> statement-breakpoint
CREATE UNIQUE INDEX `performance_snapshots_agent_period_uq` ON `performance_snapshots` (`company_id`,`period_key`,`branch_id`,`user_id`) WHERE "performance_snapshots"."scope" = 'agent';--> statement-breakpoint
CREATE INDEX `performance_snapshots_period_idx` ON `performance_snapshots` (`period_key`,`scope`);
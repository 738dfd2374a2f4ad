DROP INDEX `client_period_status_period_status_idx`;--> statement-breakpoint
CREATE INDEX `client_period_status_period_updated_idx` ON `client_period_status` (`period_key`,`last_updated_at`,`client_id`);--> statement-breakpoint
CREATE INDEX `client_period_status_period_status_idx` ON `client_period_status` (`period_key`,`status_type_id`,`client_id`);
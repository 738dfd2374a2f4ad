DROP INDEX `clients_branch_idx`;--> statement-breakpoint
DROP INDEX `clients_company_full_name_idx`;--> statement-breakpoint
CREATE INDEX `clients_branch_idx` ON `clients` (`branch_id`,`product_id`,`par_status_id`,`is_active`,`deleted_at`);--> statement-breakpoint
CREATE INDEX `clients_company_full_name_idx` ON `clients` (`company_id`,`full_name`,`id`,`branch_id`) WHERE "clients"."deleted_at" is null;
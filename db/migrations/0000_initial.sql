CREATE TABLE `account_types` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`is_system` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `account_types_code_uq` ON `account_types` (`code`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`is_system` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `companies_code_uq` ON `companies` (`code`);--> statement-breakpoint
CREATE TABLE `par_statuses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`is_system` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`is_trackable` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `par_statuses_code_uq` ON `par_statuses` (`code`);--> statement-breakpoint
CREATE TABLE `pension_types` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`is_system` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`company_id` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pension_types_code_uq` ON `pension_types` (`code`);--> statement-breakpoint
CREATE INDEX `pension_types_company_idx` ON `pension_types` (`company_id`);--> statement-breakpoint
CREATE TABLE `pensioner_types` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`is_system` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pensioner_types_code_uq` ON `pensioner_types` (`code`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`is_system` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`company_id` integer NOT NULL,
	`pension_type_id` integer,
	`tracking_cycle` text NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pension_type_id`) REFERENCES `pension_types`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "products_tracking_cycle_ck" CHECK("products"."tracking_cycle" in ('monthly','quarterly'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_code_uq` ON `products` (`code`);--> statement-breakpoint
CREATE INDEX `products_company_idx` ON `products` (`company_id`);--> statement-breakpoint
CREATE TABLE `status_reasons` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`is_system` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`status_type_id` integer NOT NULL,
	`is_terminal` integer DEFAULT false NOT NULL,
	`requires_remarks` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`status_type_id`) REFERENCES `status_types`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `status_reasons_type_code_uq` ON `status_reasons` (`status_type_id`,`code`);--> statement-breakpoint
CREATE TABLE `status_types` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`is_system` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`sequence` integer NOT NULL,
	`company_id` integer,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `status_types_code_uq` ON `status_types` (`code`);--> statement-breakpoint
CREATE TABLE `tele_status_update_statuses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tele_status_id` integer NOT NULL,
	`update_status_id` integer NOT NULL,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`tele_status_id`) REFERENCES `tele_statuses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`update_status_id`) REFERENCES `update_statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tele_status_update_statuses_uq` ON `tele_status_update_statuses` (`tele_status_id`,`update_status_id`);--> statement-breakpoint
CREATE TABLE `tele_statuses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`is_system` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`requires_reason` integer DEFAULT false NOT NULL,
	`requires_remarks` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tele_statuses_code_uq` ON `tele_statuses` (`code`);--> statement-breakpoint
CREATE TABLE `update_statuses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`is_system` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `update_statuses_code_uq` ON `update_statuses` (`code`);--> statement-breakpoint
CREATE TABLE `area_branches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`area_id` integer NOT NULL,
	`branch_id` integer NOT NULL,
	`is_primary` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`area_id`) REFERENCES `areas`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `area_branches_area_branch_uq` ON `area_branches` (`area_id`,`branch_id`);--> statement-breakpoint
CREATE INDEX `area_branches_branch_idx` ON `area_branches` (`branch_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `area_branches_one_primary_uq` ON `area_branches` (`branch_id`) WHERE "area_branches"."is_primary" = 1;--> statement-breakpoint
CREATE TABLE `areas` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`deleted_at` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `areas_company_code_uq` ON `areas` (`company_id`,`code`);--> statement-breakpoint
CREATE TABLE `branch_contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`branch_id` integer NOT NULL,
	`contact_type` text NOT NULL,
	`value` text NOT NULL,
	`label` text,
	`is_primary` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "branch_contacts_type_ck" CHECK("branch_contacts"."contact_type" in ('phone','email'))
);
--> statement-breakpoint
CREATE INDEX `branch_contacts_branch_idx` ON `branch_contacts` (`branch_id`);--> statement-breakpoint
CREATE TABLE `branches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`location` text,
	`category` text,
	`is_active` integer DEFAULT true NOT NULL,
	`deleted_at` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `branches_code_uq` ON `branches` (`code`);--> statement-breakpoint
CREATE INDEX `branches_company_idx` ON `branches` (`company_id`);--> statement-breakpoint
CREATE TABLE `permissions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`is_system` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `permissions_code_uq` ON `permissions` (`code`);--> statement-breakpoint
CREATE TABLE `role_template_grants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`role_template_id` integer NOT NULL,
	`permission_id` integer NOT NULL,
	`scope` text NOT NULL,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`role_template_id`) REFERENCES `role_templates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`permission_id`) REFERENCES `permissions`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "role_template_grants_scope_ck" CHECK("role_template_grants"."scope" in ('self','branch','area','all'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `role_template_grants_template_perm_uq` ON `role_template_grants` (`role_template_id`,`permission_id`);--> statement-breakpoint
CREATE TABLE `role_templates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`company_id` integer,
	`is_system` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `role_templates_code_uq` ON `role_templates` (`code`);--> statement-breakpoint
CREATE TABLE `user_areas` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`area_id` integer NOT NULL,
	`assigned_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`area_id`) REFERENCES `areas`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assigned_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_areas_user_area_uq` ON `user_areas` (`user_id`,`area_id`);--> statement-breakpoint
CREATE INDEX `user_areas_area_idx` ON `user_areas` (`area_id`);--> statement-breakpoint
CREATE TABLE `user_branches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`branch_id` integer NOT NULL,
	`assigned_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assigned_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_branches_user_branch_uq` ON `user_branches` (`user_id`,`branch_id`);--> statement-breakpoint
CREATE INDEX `user_branches_branch_idx` ON `user_branches` (`branch_id`);--> statement-breakpoint
CREATE TABLE `user_permissions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`permission_id` integer NOT NULL,
	`company_id` integer NOT NULL,
	`scope` text NOT NULL,
	`granted_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`permission_id`) REFERENCES `permissions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`granted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "user_permissions_scope_ck" CHECK("user_permissions"."scope" in ('self','branch','area','all'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_permissions_user_perm_company_uq` ON `user_permissions` (`user_id`,`permission_id`,`company_id`);--> statement-breakpoint
CREATE TABLE `user_roles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`company_id` integer NOT NULL,
	`role_template_id` integer NOT NULL,
	`assigned_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`role_template_id`) REFERENCES `role_templates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_roles_user_company_uq` ON `user_roles` (`user_id`,`company_id`);--> statement-breakpoint
CREATE INDEX `user_roles_template_idx` ON `user_roles` (`role_template_id`);--> statement-breakpoint
CREATE TABLE `user_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`ip` text,
	`user_agent` text,
	`ended_at` integer,
	`end_reason` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_sessions_token_hash_uq` ON `user_sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `user_sessions_user_idx` ON `user_sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`full_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`must_change_password` integer DEFAULT true NOT NULL,
	`password_changed_at` integer,
	`last_login_at` integer,
	`login_count` integer DEFAULT 0 NOT NULL,
	`failed_login_count` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`is_active` integer DEFAULT true NOT NULL,
	`deleted_at` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_uq` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `client_sync_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`sync_job_id` integer,
	`field` text NOT NULL,
	`old_value` text,
	`new_value` text,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sync_job_id`) REFERENCES `sync_jobs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `client_sync_history_client_idx` ON `client_sync_history` (`client_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `client_sync_history_job_idx` ON `client_sync_history` (`sync_job_id`);--> statement-breakpoint
CREATE TABLE `client_tele_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`created_by` integer,
	`action` text NOT NULL,
	`tele_status` text,
	`update_status` text,
	`reason` text,
	`remarks` text,
	`month_to_update` text,
	`pointer_before` text,
	`pointer_after` text,
	`nextbank_status` text,
	`nextbank_request` text,
	`nextbank_response` text,
	`idempotency_key` text,
	`job_queue_id` integer,
	`error` text,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`sent_at` integer,
	`confirmed_at` integer,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`job_queue_id`) REFERENCES `job_queue`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "client_tele_history_nextbank_status_ck" CHECK("client_tele_history"."nextbank_status" is null or "client_tele_history"."nextbank_status" in ('pending','sent','confirmed','failed'))
);
--> statement-breakpoint
CREATE INDEX `client_tele_history_client_idx` ON `client_tele_history` (`client_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `client_tele_history_idempotency_uq` ON `client_tele_history` (`idempotency_key`);--> statement-breakpoint
CREATE TABLE `clients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_code` text NOT NULL,
	`full_name` text NOT NULL,
	`first_name` text,
	`last_name` text,
	`pension_number` text,
	`birth_date` text,
	`contact_number` text,
	`contact_number_alt` text,
	`company_id` integer NOT NULL,
	`product_id` integer NOT NULL,
	`pension_type_id` integer,
	`pensioner_type_id` integer,
	`account_type_id` integer,
	`par_status_id` integer NOT NULL,
	`branch_id` integer NOT NULL,
	`past_due_centavos` integer DEFAULT 0 NOT NULL,
	`loan_status` text,
	`is_active` integer DEFAULT true NOT NULL,
	`deleted_at` integer,
	`last_synced_at` integer,
	`sync_source` text,
	`customer_id_nb` text,
	`tele_status` text,
	`update_status` text,
	`pointer` text,
	`month_to_update` text,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pension_type_id`) REFERENCES `pension_types`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pensioner_type_id`) REFERENCES `pensioner_types`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_type_id`) REFERENCES `account_types`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`par_status_id`) REFERENCES `par_statuses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tele_status`) REFERENCES `tele_statuses`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`update_status`) REFERENCES `update_statuses`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "clients_pointer_ck" CHECK("clients"."pointer" is null or "clients"."pointer" in ('current','touched_status','touched_month'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clients_client_code_uq` ON `clients` (`client_code`);--> statement-breakpoint
CREATE INDEX `clients_branch_idx` ON `clients` (`branch_id`);--> statement-breakpoint
CREATE INDEX `clients_live_branch_name_idx` ON `clients` (`branch_id`,`full_name`) WHERE "clients"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX `clients_company_par_idx` ON `clients` (`company_id`,`par_status_id`);--> statement-breakpoint
CREATE INDEX `clients_pension_number_idx` ON `clients` (`pension_number`);--> statement-breakpoint
CREATE INDEX `clients_company_full_name_idx` ON `clients` (`company_id`,`full_name`) WHERE "clients"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX `clients_product_idx` ON `clients` (`product_id`);--> statement-breakpoint
CREATE TABLE `client_period_status` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`company_id` integer NOT NULL,
	`branch_id` integer NOT NULL,
	`period_type` text NOT NULL,
	`period_year` integer NOT NULL,
	`period_number` integer NOT NULL,
	`period_key` text NOT NULL,
	`status_type_id` integer NOT NULL,
	`status_reason_id` integer,
	`remarks` text,
	`has_payment` integer DEFAULT false NOT NULL,
	`is_terminal` integer DEFAULT false NOT NULL,
	`update_count` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`last_updated_by` integer,
	`last_updated_at` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`status_type_id`) REFERENCES `status_types`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`status_reason_id`) REFERENCES `status_reasons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`last_updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "client_period_status_period_type_ck" CHECK("client_period_status"."period_type" in ('monthly','quarterly')),
	CONSTRAINT "client_period_status_period_number_ck" CHECK("client_period_status"."period_number" between 1 and (case "client_period_status"."period_type" when 'monthly' then 12 else 4 end))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `client_period_status_client_period_uq` ON `client_period_status` (`client_id`,`period_key`);--> statement-breakpoint
CREATE INDEX `client_period_status_period_status_idx` ON `client_period_status` (`period_key`,`status_type_id`);--> statement-breakpoint
CREATE INDEX `client_period_status_period_branch_idx` ON `client_period_status` (`period_key`,`branch_id`);--> statement-breakpoint
CREATE TABLE `status_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`period_status_id` integer NOT NULL,
	`client_id` integer NOT NULL,
	`event_sequence` integer NOT NULL,
	`from_status_type_id` integer,
	`to_status_type_id` integer NOT NULL,
	`status_reason_id` integer,
	`remarks` text,
	`has_payment` integer DEFAULT false NOT NULL,
	`is_revert` integer DEFAULT false NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`period_status_id`) REFERENCES `client_period_status`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`from_status_type_id`) REFERENCES `status_types`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_status_type_id`) REFERENCES `status_types`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`status_reason_id`) REFERENCES `status_reasons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `status_events_period_seq_uq` ON `status_events` (`period_status_id`,`event_sequence`);--> statement-breakpoint
CREATE INDEX `status_events_client_idx` ON `status_events` (`client_id`);--> statement-breakpoint
CREATE INDEX `status_events_created_by_idx` ON `status_events` (`created_by`,`created_at`);--> statement-breakpoint
CREATE INDEX `status_events_created_idx` ON `status_events` (`created_at`);--> statement-breakpoint
CREATE TABLE `export_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`requested_by` integer NOT NULL,
	`company_id` integer,
	`export_type` text NOT NULL,
	`format` text NOT NULL,
	`params` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`job_queue_id` integer,
	`rows_done` integer DEFAULT 0 NOT NULL,
	`rows_total` integer,
	`file_name` text,
	`file_path` text,
	`file_size_bytes` integer,
	`error` text,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`file_expires_at` integer,
	`file_deleted_at` integer,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`job_queue_id`) REFERENCES `job_queue`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `export_jobs_requested_by_created_idx` ON `export_jobs` (`requested_by`,`created_at`);--> statement-breakpoint
CREATE INDEX `export_jobs_created_idx` ON `export_jobs` (`created_at`);--> statement-breakpoint
CREATE TABLE `job_queue` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`queue` text NOT NULL,
	`payload` text NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer DEFAULT 5 NOT NULL,
	`scheduled_at` integer NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`last_error` text,
	`idempotency_key` text,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`progress` text,
	CONSTRAINT "job_queue_status_ck" CHECK("job_queue"."status" in ('pending','running','done','failed','dead','cancelled'))
);
--> statement-breakpoint
CREATE INDEX `job_queue_queue_status_scheduled_idx` ON `job_queue` (`queue`,`status`,`scheduled_at`);--> statement-breakpoint
CREATE INDEX `job_queue_status_lease_idx` ON `job_queue` (`status`,`lease_expires_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `job_queue_idempotency_key_uq` ON `job_queue` (`idempotency_key`);--> statement-breakpoint
CREATE TABLE `scheduled_job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scheduled_job_id` integer NOT NULL,
	`job_queue_id` integer,
	`trigger` text NOT NULL,
	`triggered_by` integer,
	`status` text DEFAULT 'pending' NOT NULL,
	`error` text,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`scheduled_job_id`) REFERENCES `scheduled_jobs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`job_queue_id`) REFERENCES `job_queue`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`triggered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `scheduled_job_runs_job_created_idx` ON `scheduled_job_runs` (`scheduled_job_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `scheduled_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`queue` text NOT NULL,
	`payload` text,
	`cron` text NOT NULL,
	`timezone` text DEFAULT 'Asia/Manila' NOT NULL,
	`is_enabled` integer DEFAULT true NOT NULL,
	`last_run_at` integer,
	`next_run_at` integer,
	`lease_owner` text,
	`lease_expires_at` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scheduled_jobs_code_uq` ON `scheduled_jobs` (`code`);--> statement-breakpoint
CREATE TABLE `service_heartbeats` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`instance_id` text NOT NULL,
	`hostname` text,
	`version` text,
	`started_at` integer,
	`published_at` integer NOT NULL,
	`payload` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `service_heartbeats_instance_uq` ON `service_heartbeats` (`instance_id`);--> statement-breakpoint
CREATE INDEX `service_heartbeats_published_idx` ON `service_heartbeats` (`published_at`);--> statement-breakpoint
CREATE TABLE `sync_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mode` text NOT NULL,
	`is_dry_run` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`trigger` text NOT NULL,
	`triggered_by` integer,
	`job_queue_id` integer,
	`source_view` text NOT NULL,
	`watermark_from` integer,
	`watermark_to` integer,
	`rows_read` integer DEFAULT 0 NOT NULL,
	`rows_inserted` integer DEFAULT 0 NOT NULL,
	`rows_updated` integer DEFAULT 0 NOT NULL,
	`rows_unchanged` integer DEFAULT 0 NOT NULL,
	`rows_rejected` integer DEFAULT 0 NOT NULL,
	`rows_deactivated` integer DEFAULT 0 NOT NULL,
	`report` text,
	`error` text,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`triggered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`job_queue_id`) REFERENCES `job_queue`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `sync_jobs_created_idx` ON `sync_jobs` (`created_at`);--> statement-breakpoint
CREATE TABLE `config_audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`table_name` text NOT NULL,
	`record_id` integer NOT NULL,
	`action` text NOT NULL,
	`old_values` text,
	`new_values` text,
	`user_id` integer,
	`ip` text,
	`request_id` text,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `config_audit_log_table_record_idx` ON `config_audit_log` (`table_name`,`record_id`);--> statement-breakpoint
CREATE INDEX `config_audit_log_created_idx` ON `config_audit_log` (`created_at`);--> statement-breakpoint
CREATE TABLE `config_categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`is_system` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `config_categories_code_uq` ON `config_categories` (`code`);--> statement-breakpoint
CREATE TABLE `config_options` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`category_id` integer NOT NULL,
	`parent_option_id` integer,
	`company_id` integer,
	`code` text NOT NULL,
	`label` text NOT NULL,
	`value` text,
	`is_default` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`category_id`) REFERENCES `config_categories`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`parent_option_id`) REFERENCES `config_options`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `config_options_company_code_uq` ON `config_options` (`category_id`,`company_id`,`code`) WHERE "config_options"."company_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `config_options_global_code_uq` ON `config_options` (`category_id`,`code`) WHERE "config_options"."company_id" is null;--> statement-breakpoint
CREATE INDEX `config_options_parent_idx` ON `config_options` (`parent_option_id`);--> statement-breakpoint
CREATE TABLE `config_settings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`company_id` integer,
	`value` text NOT NULL,
	`value_type` text NOT NULL,
	`is_public` integer DEFAULT false NOT NULL,
	`description` text,
	`updated_by` integer,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "config_settings_value_type_ck" CHECK("config_settings"."value_type" in ('string','number','boolean','json'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `config_settings_company_key_uq` ON `config_settings` (`key`,`company_id`) WHERE "config_settings"."company_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `config_settings_global_key_uq` ON `config_settings` (`key`) WHERE "config_settings"."company_id" is null;--> statement-breakpoint
CREATE TABLE `activity_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer,
	`action` text NOT NULL,
	`resource_type` text,
	`resource_id` text,
	`details` text,
	`ip` text,
	`user_agent` text,
	`request_id` text,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `activity_logs_user_created_idx` ON `activity_logs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `activity_logs_created_idx` ON `activity_logs` (`created_at`);--> statement-breakpoint
CREATE TABLE `performance_snapshots` (
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
	`conversion_rate_bp` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "performance_snapshots_scope_ck" CHECK("performance_snapshots"."scope" in ('branch','agent')),
	CONSTRAINT "performance_snapshots_subject_ck" CHECK(("performance_snapshots"."scope" = 'branch' and "performance_snapshots"."branch_id" is not null and "performance_snapshots"."user_id" is null) or ("performance_snapshots"."scope" = 'agent' and "performance_snapshots"."user_id" is not null and "performance_snapshots"."branch_id" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `performance_snapshots_branch_period_uq` ON `performance_snapshots` (`company_id`,`period_key`,`branch_id`) WHERE "performance_snapshots"."scope" = 'branch';--> statement-breakpoint
CREATE UNIQUE INDEX `performance_snapshots_agent_period_uq` ON `performance_snapshots` (`company_id`,`period_key`,`user_id`) WHERE "performance_snapshots"."scope" = 'agent';--> statement-breakpoint
CREATE INDEX `performance_snapshots_period_idx` ON `performance_snapshots` (`period_key`,`scope`);
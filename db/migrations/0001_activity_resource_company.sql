ALTER TABLE `activity_logs` ADD `company_id` integer;--> statement-breakpoint
ALTER TABLE `activity_logs` ADD `branch_id` integer;--> statement-breakpoint
-- Backfill what can be derived: rows about a client take the client's company and branch (the client's current branch: the best there is for old rows).
UPDATE `activity_logs` SET
  `company_id` = (SELECT `company_id` FROM `clients` WHERE `clients`.`id` = CAST(`activity_logs`.`resource_id` AS integer)),
  `branch_id` = (SELECT `branch_id` FROM `clients` WHERE `clients`.`id` = CAST(`activity_logs`.`resource_id` AS integer))
WHERE `resource_type` = 'client';--> statement-breakpoint
-- Config rows of one company (a null company_id there means shared: the activity row stays a system row).
UPDATE `activity_logs` SET `company_id` = (SELECT `company_id` FROM `pension_types` WHERE `id` = CAST(`activity_logs`.`resource_id` AS integer)) WHERE `resource_type` = 'pension_types';--> statement-breakpoint
UPDATE `activity_logs` SET `company_id` = (SELECT `company_id` FROM `products` WHERE `id` = CAST(`activity_logs`.`resource_id` AS integer)) WHERE `resource_type` = 'products';--> statement-breakpoint
UPDATE `activity_logs` SET `company_id` = (SELECT `company_id` FROM `status_types` WHERE `id` = CAST(`activity_logs`.`resource_id` AS integer)) WHERE `resource_type` = 'status_types';--> statement-breakpoint
UPDATE `activity_logs` SET `company_id` = (SELECT `company_id` FROM `config_options` WHERE `id` = CAST(`activity_logs`.`resource_id` AS integer)) WHERE `resource_type` = 'config_options';--> statement-breakpoint
UPDATE `activity_logs` SET `company_id` = (SELECT `company_id` FROM `config_settings` WHERE `id` = CAST(`activity_logs`.`resource_id` AS integer)) WHERE `resource_type` = 'config_settings';--> statement-breakpoint
UPDATE `activity_logs` SET `company_id` = (SELECT `t`.`company_id` FROM `status_reasons` `r` JOIN `status_types` `t` ON `t`.`id` = `r`.`status_type_id` WHERE `r`.`id` = CAST(`activity_logs`.`resource_id` AS integer)) WHERE `resource_type` = 'status_reasons';

CREATE TABLE `client_branch_counts` (
	`company_id` integer NOT NULL,
	`branch_id` integer NOT NULL,
	`live` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`company_id`, `branch_id`),
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
);--> statement-breakpoint
-- Live clients per branch (decision 099), built for the existing rows and kept exact by the triggers below.
INSERT INTO `client_branch_counts`(company_id, branch_id, live)
  SELECT company_id, branch_id, count(*) FROM `clients` WHERE deleted_at IS NULL GROUP BY company_id, branch_id;--> statement-breakpoint
CREATE TRIGGER `client_branch_counts_ai` AFTER INSERT ON `clients` WHEN new.deleted_at IS NULL BEGIN
  INSERT INTO `client_branch_counts`(company_id, branch_id, live) VALUES (new.company_id, new.branch_id, 1)
    ON CONFLICT(company_id, branch_id) DO UPDATE SET live = live + 1;
END;--> statement-breakpoint
CREATE TRIGGER `client_branch_counts_ad` AFTER DELETE ON `clients` WHEN old.deleted_at IS NULL BEGIN
  UPDATE `client_branch_counts` SET live = live - 1 WHERE company_id = old.company_id AND branch_id = old.branch_id;
END;--> statement-breakpoint
CREATE TRIGGER `client_branch_counts_au` AFTER UPDATE OF company_id, branch_id, deleted_at ON `clients`
WHEN old.company_id IS NOT new.company_id OR old.branch_id IS NOT new.branch_id OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL)
BEGIN
  UPDATE `client_branch_counts` SET live = live - 1 WHERE old.deleted_at IS NULL AND company_id = old.company_id AND branch_id = old.branch_id;
  INSERT INTO `client_branch_counts`(company_id, branch_id, live) SELECT new.company_id, new.branch_id, 1 WHERE new.deleted_at IS NULL
    ON CONFLICT(company_id, branch_id) DO UPDATE SET live = live + 1;
END;--> statement-breakpoint
-- Client search without a scan (decision 099): an FTS5 trigram index over name, code, pension
-- number and contact numbers, answering any substring of 3+ characters. Contentless (no copy of the
-- text; rows are deleted by rowid = clients.id). Triggers keep it exact in the transaction of every
-- write to clients, whatever the code path (seed, Snowflake sync, contact edits).
-- digits: pension and phone numbers without separators, so "8123 4567" finds "(02) 8123 4567".
-- starts: "^^" before every name word and the code, so 1-2 characters match a word or code prefix.
CREATE VIRTUAL TABLE `clients_search` USING fts5(name, code, pension, digits, starts, tokenize = 'trigram', content = '', contentless_delete = 1);--> statement-breakpoint
INSERT INTO `clients_search`(rowid, name, code, pension, digits, starts)
  SELECT id, full_name, client_code, pension_number,
    replace(replace(replace(replace(replace(coalesce(pension_number, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '') || ' ' || replace(replace(replace(replace(replace(coalesce(contact_number, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '') || ' ' || replace(replace(replace(replace(replace(coalesce(contact_number_alt, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''),
    '^^' || replace(full_name, ' ', ' ^^') || ' ^^' || client_code
  FROM `clients`;--> statement-breakpoint
CREATE TRIGGER `clients_search_ai` AFTER INSERT ON `clients` BEGIN
  INSERT INTO `clients_search`(rowid, name, code, pension, digits, starts) VALUES (new.id, new.full_name, new.client_code, new.pension_number,
    replace(replace(replace(replace(replace(coalesce(new.pension_number, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '') || ' ' || replace(replace(replace(replace(replace(coalesce(new.contact_number, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '') || ' ' || replace(replace(replace(replace(replace(coalesce(new.contact_number_alt, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''),
    '^^' || replace(new.full_name, ' ', ' ^^') || ' ^^' || new.client_code);
END;--> statement-breakpoint
CREATE TRIGGER `clients_search_ad` AFTER DELETE ON `clients` BEGIN
  DELETE FROM `clients_search` WHERE rowid = old.id;
END;--> statement-breakpoint
-- Only when a searched column changed: a sync that rewrites unchanged rows leaves the index alone.
CREATE TRIGGER `clients_search_au` AFTER UPDATE OF full_name, client_code, pension_number, contact_number, contact_number_alt ON `clients`
WHEN old.full_name IS NOT new.full_name OR old.client_code IS NOT new.client_code OR old.pension_number IS NOT new.pension_number
  OR old.contact_number IS NOT new.contact_number OR old.contact_number_alt IS NOT new.contact_number_alt
BEGIN
  DELETE FROM `clients_search` WHERE rowid = old.id;
  INSERT INTO `clients_search`(rowid, name, code, pension, digits, starts) VALUES (new.id, new.full_name, new.client_code, new.pension_number,
    replace(replace(replace(replace(replace(coalesce(new.pension_number, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '') || ' ' || replace(replace(replace(replace(replace(coalesce(new.contact_number, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '') || ' ' || replace(replace(replace(replace(replace(coalesce(new.contact_number_alt, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''),
    '^^' || replace(new.full_name, ' ', ' ^^') || ' ^^' || new.client_code);
END;

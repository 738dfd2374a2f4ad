CREATE TABLE `client_status_counts` (
	`period_key` text NOT NULL,
	`company_id` integer NOT NULL,
	`branch_id` integer NOT NULL,
	`status_type_id` integer NOT NULL,
	`agent_id` integer NOT NULL,
	`pension_type_id` integer NOT NULL,
	`has_payment` integer NOT NULL,
	`is_terminal` integer NOT NULL,
	`deleted` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`period_key`, `company_id`, `branch_id`, `status_type_id`, `agent_id`, `pension_type_id`, `has_payment`, `is_terminal`, `deleted`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `period_status_counts` (
	`period_key` text NOT NULL,
	`company_id` integer NOT NULL,
	`branch_id` integer NOT NULL,
	`status_type_id` integer NOT NULL,
	`agent_id` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`period_key`, `company_id`, `branch_id`, `status_type_id`, `agent_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `status_event_days` (
	`period_key` text NOT NULL,
	`company_id` integer NOT NULL,
	`branch_id` integer NOT NULL,
	`day` text NOT NULL,
	`updates` integer NOT NULL,
	`done` integer NOT NULL,
	PRIMARY KEY(`period_key`, `company_id`, `branch_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Triggers keep the three aggregates exact in the transaction of every write, whatever the code path
-- (status updates, bulk, reverts, reinstatement, period initialization, sync, seed, retention).
-- Each change subtracts the old row's key and adds the new one: n = n + excluded.n.
CREATE TRIGGER `cps_counts_insert` AFTER INSERT ON `client_period_status` BEGIN
	INSERT INTO client_status_counts (period_key, company_id, branch_id, status_type_id, agent_id, pension_type_id, has_payment, is_terminal, deleted, n)
		SELECT new.period_key, c.company_id, c.branch_id, new.status_type_id, coalesce(new.last_updated_by, 0), coalesce(c.pension_type_id, 0), new.has_payment, new.is_terminal, c.deleted_at IS NOT NULL, 1
		FROM clients c WHERE c.id = new.client_id
		ON CONFLICT DO UPDATE SET n = n + excluded.n;
	INSERT INTO period_status_counts (period_key, company_id, branch_id, status_type_id, agent_id, n)
		VALUES (new.period_key, new.company_id, new.branch_id, new.status_type_id, coalesce(new.last_updated_by, 0), 1)
		ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `cps_counts_delete` AFTER DELETE ON `client_period_status` BEGIN
	INSERT INTO client_status_counts (period_key, company_id, branch_id, status_type_id, agent_id, pension_type_id, has_payment, is_terminal, deleted, n)
		SELECT old.period_key, c.company_id, c.branch_id, old.status_type_id, coalesce(old.last_updated_by, 0), coalesce(c.pension_type_id, 0), old.has_payment, old.is_terminal, c.deleted_at IS NOT NULL, -1
		FROM clients c WHERE c.id = old.client_id
		ON CONFLICT DO UPDATE SET n = n + excluded.n;
	INSERT INTO period_status_counts (period_key, company_id, branch_id, status_type_id, agent_id, n)
		VALUES (old.period_key, old.company_id, old.branch_id, old.status_type_id, coalesce(old.last_updated_by, 0), -1)
		ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `cps_counts_update` AFTER UPDATE OF period_key, client_id, company_id, branch_id, status_type_id, last_updated_by, has_payment, is_terminal ON `client_period_status`
WHEN old.period_key IS NOT new.period_key OR old.client_id IS NOT new.client_id OR old.company_id IS NOT new.company_id OR old.branch_id IS NOT new.branch_id
	OR old.status_type_id IS NOT new.status_type_id OR old.last_updated_by IS NOT new.last_updated_by OR old.has_payment IS NOT new.has_payment OR old.is_terminal IS NOT new.is_terminal
BEGIN
	INSERT INTO client_status_counts (period_key, company_id, branch_id, status_type_id, agent_id, pension_type_id, has_payment, is_terminal, deleted, n)
		SELECT old.period_key, c.company_id, c.branch_id, old.status_type_id, coalesce(old.last_updated_by, 0), coalesce(c.pension_type_id, 0), old.has_payment, old.is_terminal, c.deleted_at IS NOT NULL, -1
		FROM clients c WHERE c.id = old.client_id
		ON CONFLICT DO UPDATE SET n = n + excluded.n;
	INSERT INTO client_status_counts (period_key, company_id, branch_id, status_type_id, agent_id, pension_type_id, has_payment, is_terminal, deleted, n)
		SELECT new.period_key, c.company_id, c.branch_id, new.status_type_id, coalesce(new.last_updated_by, 0), coalesce(c.pension_type_id, 0), new.has_payment, new.is_terminal, c.deleted_at IS NOT NULL, 1
		FROM clients c WHERE c.id = new.client_id
		ON CONFLICT DO UPDATE SET n = n + excluded.n;
	INSERT INTO period_status_counts (period_key, company_id, branch_id, status_type_id, agent_id, n)
		VALUES (old.period_key, old.company_id, old.branch_id, old.status_type_id, coalesce(old.last_updated_by, 0), -1)
		ON CONFLICT DO UPDATE SET n = n + excluded.n;
	INSERT INTO period_status_counts (period_key, company_id, branch_id, status_type_id, agent_id, n)
		VALUES (new.period_key, new.company_id, new.branch_id, new.status_type_id, coalesce(new.last_updated_by, 0), 1)
		ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `cps_event_days_update` AFTER UPDATE OF period_key, client_id ON `client_period_status`
WHEN old.period_key IS NOT new.period_key OR old.client_id IS NOT new.client_id
BEGIN
	INSERT INTO status_event_days (period_key, company_id, branch_id, day, updates, done)
		SELECT old.period_key, c.company_id, c.branch_id, date(e.created_at / 1000 + 28800, 'unixepoch'), -count(*), -sum(e.to_status_type_id = (SELECT id FROM status_types WHERE code = 'DONE'))
		FROM status_events e JOIN clients c ON c.id = old.client_id WHERE e.period_status_id = old.id GROUP BY 1, 2, 3, 4
		ON CONFLICT DO UPDATE SET updates = updates + excluded.updates, done = done + excluded.done;
	INSERT INTO status_event_days (period_key, company_id, branch_id, day, updates, done)
		SELECT new.period_key, c.company_id, c.branch_id, date(e.created_at / 1000 + 28800, 'unixepoch'), count(*), sum(e.to_status_type_id = (SELECT id FROM status_types WHERE code = 'DONE'))
		FROM status_events e JOIN clients c ON c.id = new.client_id WHERE e.period_status_id = new.id GROUP BY 1, 2, 3, 4
		ON CONFLICT DO UPDATE SET updates = updates + excluded.updates, done = done + excluded.done;
END;
--> statement-breakpoint
-- A period row deleted on its own takes its events' days with it here; the cascaded event deletes
-- then find no period row and add nothing.
CREATE TRIGGER `cps_event_days_delete` BEFORE DELETE ON `client_period_status` BEGIN
	INSERT INTO status_event_days (period_key, company_id, branch_id, day, updates, done)
		SELECT old.period_key, c.company_id, c.branch_id, date(e.created_at / 1000 + 28800, 'unixepoch'), -count(*), -sum(e.to_status_type_id = (SELECT id FROM status_types WHERE code = 'DONE'))
		FROM status_events e JOIN clients c ON c.id = old.client_id WHERE e.period_status_id = old.id GROUP BY 1, 2, 3, 4
		ON CONFLICT DO UPDATE SET updates = updates + excluded.updates, done = done + excluded.done;
END;
--> statement-breakpoint
CREATE TRIGGER `status_event_days_insert` AFTER INSERT ON `status_events` BEGIN
	INSERT INTO status_event_days (period_key, company_id, branch_id, day, updates, done)
		SELECT p.period_key, c.company_id, c.branch_id, date(new.created_at / 1000 + 28800, 'unixepoch'), 1, new.to_status_type_id = (SELECT id FROM status_types WHERE code = 'DONE')
		FROM client_period_status p JOIN clients c ON c.id = p.client_id WHERE p.id = new.period_status_id
		ON CONFLICT DO UPDATE SET updates = updates + excluded.updates, done = done + excluded.done;
END;
--> statement-breakpoint
CREATE TRIGGER `status_event_days_delete` AFTER DELETE ON `status_events` BEGIN
	INSERT INTO status_event_days (period_key, company_id, branch_id, day, updates, done)
		SELECT p.period_key, c.company_id, c.branch_id, date(old.created_at / 1000 + 28800, 'unixepoch'), -1, -(old.to_status_type_id = (SELECT id FROM status_types WHERE code = 'DONE'))
		FROM client_period_status p JOIN clients c ON c.id = p.client_id WHERE p.id = old.period_status_id
		ON CONFLICT DO UPDATE SET updates = updates + excluded.updates, done = done + excluded.done;
END;
--> statement-breakpoint
CREATE TRIGGER `status_event_days_update` AFTER UPDATE OF period_status_id, to_status_type_id, created_at ON `status_events`
WHEN old.period_status_id IS NOT new.period_status_id OR old.to_status_type_id IS NOT new.to_status_type_id OR old.created_at IS NOT new.created_at
BEGIN
	INSERT INTO status_event_days (period_key, company_id, branch_id, day, updates, done)
		SELECT p.period_key, c.company_id, c.branch_id, date(old.created_at / 1000 + 28800, 'unixepoch'), -1, -(old.to_status_type_id = (SELECT id FROM status_types WHERE code = 'DONE'))
		FROM client_period_status p JOIN clients c ON c.id = p.client_id WHERE p.id = old.period_status_id
		ON CONFLICT DO UPDATE SET updates = updates + excluded.updates, done = done + excluded.done;
	INSERT INTO status_event_days (period_key, company_id, branch_id, day, updates, done)
		SELECT p.period_key, c.company_id, c.branch_id, date(new.created_at / 1000 + 28800, 'unixepoch'), 1, new.to_status_type_id = (SELECT id FROM status_types WHERE code = 'DONE')
		FROM client_period_status p JOIN clients c ON c.id = p.client_id WHERE p.id = new.period_status_id
		ON CONFLICT DO UPDATE SET updates = updates + excluded.updates, done = done + excluded.done;
END;
--> statement-breakpoint
-- A client that moves branch or company (sync), changes pension type or is (un)deleted takes all
-- its period rows with it: the dashboard and the workspace scope by the client's current values.
CREATE TRIGGER `clients_counts_update` AFTER UPDATE OF company_id, branch_id, pension_type_id, deleted_at ON `clients`
WHEN old.company_id IS NOT new.company_id OR old.branch_id IS NOT new.branch_id OR old.pension_type_id IS NOT new.pension_type_id
	OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL)
BEGIN
	INSERT INTO client_status_counts (period_key, company_id, branch_id, status_type_id, agent_id, pension_type_id, has_payment, is_terminal, deleted, n)
		SELECT p.period_key, old.company_id, old.branch_id, p.status_type_id, coalesce(p.last_updated_by, 0), coalesce(old.pension_type_id, 0), p.has_payment, p.is_terminal, old.deleted_at IS NOT NULL, -count(*)
		FROM client_period_status p WHERE p.client_id = old.id GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
		ON CONFLICT DO UPDATE SET n = n + excluded.n;
	INSERT INTO client_status_counts (period_key, company_id, branch_id, status_type_id, agent_id, pension_type_id, has_payment, is_terminal, deleted, n)
		SELECT p.period_key, new.company_id, new.branch_id, p.status_type_id, coalesce(p.last_updated_by, 0), coalesce(new.pension_type_id, 0), p.has_payment, p.is_terminal, new.deleted_at IS NOT NULL, count(*)
		FROM client_period_status p WHERE p.client_id = new.id GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
		ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `clients_event_days_update` AFTER UPDATE OF company_id, branch_id ON `clients`
WHEN old.company_id IS NOT new.company_id OR old.branch_id IS NOT new.branch_id
BEGIN
	INSERT INTO status_event_days (period_key, company_id, branch_id, day, updates, done)
		SELECT p.period_key, old.company_id, old.branch_id, date(e.created_at / 1000 + 28800, 'unixepoch'), -count(*), -sum(e.to_status_type_id = (SELECT id FROM status_types WHERE code = 'DONE'))
		FROM status_events e JOIN client_period_status p ON p.id = e.period_status_id WHERE p.client_id = old.id GROUP BY 1, 2, 3, 4
		ON CONFLICT DO UPDATE SET updates = updates + excluded.updates, done = done + excluded.done;
	INSERT INTO status_event_days (period_key, company_id, branch_id, day, updates, done)
		SELECT p.period_key, new.company_id, new.branch_id, date(e.created_at / 1000 + 28800, 'unixepoch'), count(*), sum(e.to_status_type_id = (SELECT id FROM status_types WHERE code = 'DONE'))
		FROM status_events e JOIN client_period_status p ON p.id = e.period_status_id WHERE p.client_id = new.id GROUP BY 1, 2, 3, 4
		ON CONFLICT DO UPDATE SET updates = updates + excluded.updates, done = done + excluded.done;
END;
--> statement-breakpoint
-- A hard-deleted client takes its rows out here; the cascaded deletes then find no client and add nothing.
CREATE TRIGGER `clients_counts_delete` BEFORE DELETE ON `clients` BEGIN
	INSERT INTO client_status_counts (period_key, company_id, branch_id, status_type_id, agent_id, pension_type_id, has_payment, is_terminal, deleted, n)
		SELECT p.period_key, old.company_id, old.branch_id, p.status_type_id, coalesce(p.last_updated_by, 0), coalesce(old.pension_type_id, 0), p.has_payment, p.is_terminal, old.deleted_at IS NOT NULL, -count(*)
		FROM client_period_status p WHERE p.client_id = old.id GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
		ON CONFLICT DO UPDATE SET n = n + excluded.n;
	INSERT INTO status_event_days (period_key, company_id, branch_id, day, updates, done)
		SELECT p.period_key, old.company_id, old.branch_id, date(e.created_at / 1000 + 28800, 'unixepoch'), -count(*), -sum(e.to_status_type_id = (SELECT id FROM status_types WHERE code = 'DONE'))
		FROM status_events e JOIN client_period_status p ON p.id = e.period_status_id WHERE p.client_id = old.id GROUP BY 1, 2, 3, 4
		ON CONFLICT DO UPDATE SET updates = updates + excluded.updates, done = done + excluded.done;
END;
--> statement-breakpoint
-- Existing rows: one set-based fill per aggregate.
INSERT INTO client_status_counts (period_key, company_id, branch_id, status_type_id, agent_id, pension_type_id, has_payment, is_terminal, deleted, n)
	SELECT p.period_key, c.company_id, c.branch_id, p.status_type_id, coalesce(p.last_updated_by, 0), coalesce(c.pension_type_id, 0), p.has_payment, p.is_terminal, c.deleted_at IS NOT NULL, count(*)
	FROM client_period_status p JOIN clients c ON c.id = p.client_id GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO period_status_counts (period_key, company_id, branch_id, status_type_id, agent_id, n)
	SELECT period_key, company_id, branch_id, status_type_id, coalesce(last_updated_by, 0), count(*) FROM client_period_status GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO status_event_days (period_key, company_id, branch_id, day, updates, done)
	SELECT p.period_key, c.company_id, c.branch_id, date(e.created_at / 1000 + 28800, 'unixepoch'), count(*), sum(e.to_status_type_id = (SELECT id FROM status_types WHERE code = 'DONE'))
	FROM status_events e JOIN client_period_status p ON p.id = e.period_status_id JOIN clients c ON c.id = p.client_id GROUP BY 1, 2, 3, 4;

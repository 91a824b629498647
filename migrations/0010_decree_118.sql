-- Decree 118/2025 (in force 1 Jul 2025). supplement_policy becomes nullable (null = by each
-- dossier's legal frame), and every stored version keeps the policy it was stored with: the old
-- rows cannot tell a stated policy from the former default, so none is silently changed. Re-PUT a
-- procedure without supplementPolicy to let the frame decide for dossiers received afterwards.
-- Existing projections gain duties and late_when_suspended by `npm run rebuild-projections`.
CREATE TABLE `dossier_duties` (
	`receipt_code` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`agency_code` text NOT NULL,
	`due_at` integer NOT NULL,
	`done_at` integer,
	`owed` integer NOT NULL,
	PRIMARY KEY(`receipt_code`, `seq`),
	FOREIGN KEY (`receipt_code`) REFERENCES `dossiers`(`receipt_code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dossier_duties_owed_idx` ON `dossier_duties` (`kind`,`owed`,`due_at`);--> statement-breakpoint
CREATE INDEX `dossier_duties_due_idx` ON `dossier_duties` (`due_at`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_procedure_versions` (
	`procedure_code` text NOT NULL,
	`version` integer NOT NULL,
	`name` text NOT NULL,
	`field_code` text NOT NULL,
	`field_name` text NOT NULL,
	`legal_duration_value` real NOT NULL,
	`legal_duration_unit` text NOT NULL,
	`committed_duration_value` real NOT NULL,
	`committed_duration_unit` text NOT NULL,
	`committed_duration_derived` integer NOT NULL,
	`supplement_policy` text,
	`supplement_completion_value` real,
	`supplement_completion_unit` text,
	`steps` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`procedure_code`, `version`),
	FOREIGN KEY (`procedure_code`) REFERENCES `procedures`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_procedure_versions`("procedure_code", "version", "name", "field_code", "field_name", "legal_duration_value", "legal_duration_unit", "committed_duration_value", "committed_duration_unit", "committed_duration_derived", "supplement_policy", "supplement_completion_value", "supplement_completion_unit", "steps", "created_at") SELECT "procedure_code", "version", "name", "field_code", "field_name", "legal_duration_value", "legal_duration_unit", "committed_duration_value", "committed_duration_unit", "committed_duration_derived", "supplement_policy", NULL, NULL, "steps", "created_at" FROM `procedure_versions`;--> statement-breakpoint
DROP TABLE `procedure_versions`;--> statement-breakpoint
ALTER TABLE `__new_procedure_versions` RENAME TO `procedure_versions`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
ALTER TABLE `dossiers` ADD `submitted_at` integer;--> statement-breakpoint
ALTER TABLE `dossiers` ADD `late_when_suspended` integer DEFAULT false NOT NULL;
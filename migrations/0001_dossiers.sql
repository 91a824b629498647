CREATE TABLE `dossier_events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`receipt_code` text NOT NULL,
	`type` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`agency_code` text NOT NULL,
	`payload` text NOT NULL,
	`body_hash` text NOT NULL,
	`recorded_at` integer NOT NULL,
	`recorded_by` text,
	FOREIGN KEY (`receipt_code`) REFERENCES `dossiers`(`receipt_code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dossier_events_dossier_idx` ON `dossier_events` (`receipt_code`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `dossiers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`receipt_code` text NOT NULL,
	`procedure_code` text NOT NULL,
	`procedure_version` integer NOT NULL,
	`field_code` text NOT NULL,
	`receiving_agency_code` text NOT NULL,
	`handling_agency_code` text NOT NULL,
	`current_agency_code` text NOT NULL,
	`calendar_id` text NOT NULL,
	`channel` text NOT NULL,
	`applicant_kind` text NOT NULL,
	`applicant_name` text NOT NULL,
	`applicant_id_number` text NOT NULL,
	`applicant_contact` text NOT NULL,
	`summary` text,
	`digitized` integer NOT NULL,
	`fee_vnd` integer,
	`paid_online` integer NOT NULL,
	`received_at` integer NOT NULL,
	`status` text NOT NULL,
	`national_status_code` integer,
	`paused` integer NOT NULL,
	`due_at` integer NOT NULL,
	`original_due_at` integer NOT NULL,
	`legal_due_at` integer NOT NULL,
	`rescheduled_due_at` integer,
	`finished_at` integer,
	`returned_at` integer,
	`stopped_at` integer,
	`outcome` text,
	`timeliness` text,
	`legal_timeliness` text,
	`supplement_requests` integer NOT NULL,
	`paused_minutes` real NOT NULL,
	`current_step_code` text,
	`responsible_agency_code` text,
	`event_count` integer NOT NULL,
	`reception_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dossiers_receipt_code_unique` ON `dossiers` (`receipt_code`);--> statement-breakpoint
CREATE INDEX `dossiers_receiving_idx` ON `dossiers` (`receiving_agency_code`,`id`);--> statement-breakpoint
CREATE INDEX `dossiers_handling_idx` ON `dossiers` (`handling_agency_code`,`id`);--> statement-breakpoint
CREATE INDEX `dossiers_status_due_idx` ON `dossiers` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `dossiers_procedure_idx` ON `dossiers` (`procedure_code`,`id`);--> statement-breakpoint
CREATE INDEX `dossiers_received_at_idx` ON `dossiers` (`received_at`);--> statement-breakpoint
CREATE TABLE `receipt_sequences` (
	`agency_code` text NOT NULL,
	`day` text NOT NULL,
	`last_value` integer NOT NULL,
	PRIMARY KEY(`agency_code`, `day`)
);

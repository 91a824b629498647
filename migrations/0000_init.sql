CREATE TABLE `agencies` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`parent_code` text,
	`calendar_id` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`calendar_id`) REFERENCES `calendars`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `agencies_parent_code_idx` ON `agencies` (`parent_code`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`agency_codes` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `calendar_days` (
	`calendar_id` text NOT NULL,
	`date` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`hours` text,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`calendar_id`, `date`),
	FOREIGN KEY (`calendar_id`) REFERENCES `calendars`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `calendars` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`time_zone` text NOT NULL,
	`weekly_hours` text NOT NULL,
	`same_day_cutoff` text NOT NULL,
	`working_day_minutes` integer NOT NULL,
	`holiday_rules` text NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `procedure_versions` (
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
	`supplement_policy` text NOT NULL,
	`steps` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`procedure_code`, `version`),
	FOREIGN KEY (`procedure_code`) REFERENCES `procedures`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `procedures` (
	`code` text PRIMARY KEY NOT NULL,
	`current_version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);

CREATE TABLE `storage_probe` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `dossiers` ADD `clock_as_of` integer;
ALTER TABLE `dossiers` ADD `documents` text;--> statement-breakpoint
ALTER TABLE `dossiers` ADD `set_count` integer;
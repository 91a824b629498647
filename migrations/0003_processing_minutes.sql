ALTER TABLE `dossiers` ADD `processing_minutes` real;--> statement-breakpoint
CREATE INDEX `dossiers_finished_at_idx` ON `dossiers` (`finished_at`);
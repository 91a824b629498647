CREATE TABLE `dossier_ratings` (
	`receipt_code` text PRIMARY KEY NOT NULL,
	`level` text NOT NULL,
	`reason` text,
	`rated_at` integer NOT NULL,
	FOREIGN KEY (`receipt_code`) REFERENCES `dossiers`(`receipt_code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dossier_ratings_rated_at_idx` ON `dossier_ratings` (`rated_at`);
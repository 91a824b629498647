CREATE TABLE `dossier_overdue_spans` (
	`receipt_code` text NOT NULL,
	`basis` text NOT NULL,
	`from_at` integer NOT NULL,
	`to_at` integer,
	FOREIGN KEY (`receipt_code`) REFERENCES `dossiers`(`receipt_code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dossier_overdue_spans_dossier_idx` ON `dossier_overdue_spans` (`receipt_code`,`basis`);
CREATE TABLE `apology_letters` (
	`receipt_code` text PRIMARY KEY NOT NULL,
	`agency_code` text NOT NULL,
	`year` integer NOT NULL,
	`number` integer NOT NULL,
	`reason` text NOT NULL,
	`issued_at` integer NOT NULL,
	`original_due_at` integer NOT NULL,
	`new_due_at` integer NOT NULL,
	`issued_in_time` integer NOT NULL,
	`place` text,
	`signer_name` text,
	`signer_title` text,
	`recipients` text NOT NULL,
	`recorded_by` text,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`receipt_code`) REFERENCES `dossiers`(`receipt_code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agency_code`) REFERENCES `agencies`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `apology_letters_number_idx` ON `apology_letters` (`agency_code`,`year`,`number`);--> statement-breakpoint
CREATE INDEX `apology_letters_issued_at_idx` ON `apology_letters` (`issued_at`);
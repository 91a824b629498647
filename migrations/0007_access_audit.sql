CREATE TABLE `access_audit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`receipt_code` text NOT NULL,
	`action` text NOT NULL,
	`actor_key_id` text,
	`actor_name` text,
	`actor_role` text NOT NULL,
	`remote_address` text,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `access_audit_receipt_code_idx` ON `access_audit` (`receipt_code`,`id`);--> statement-breakpoint
CREATE INDEX `access_audit_actor_idx` ON `access_audit` (`actor_key_id`,`id`);
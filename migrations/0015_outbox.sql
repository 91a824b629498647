CREATE TABLE `outbound_schedule` (
	`receipt_code` text NOT NULL,
	`moment_key` text NOT NULL,
	`event_type` text NOT NULL,
	`due_at` integer NOT NULL,
	`expires_at` integer,
	`detail` text NOT NULL,
	`planned_at` integer NOT NULL,
	`fired_at` integer,
	PRIMARY KEY(`receipt_code`, `moment_key`)
);
--> statement-breakpoint
CREATE INDEX `outbound_schedule_due_idx` ON `outbound_schedule` (`fired_at`,`due_at`);--> statement-breakpoint
CREATE TABLE `outbox_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`destination_kind` text NOT NULL,
	`destination_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`attempted_at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`outcome` text NOT NULL,
	`status_code` integer,
	`error` text,
	`next_attempt_at` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_deliveries_destination_idx` ON `outbox_deliveries` (`destination_kind`,`destination_id`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_deliveries_message_idx` ON `outbox_deliveries` (`message_id`);--> statement-breakpoint
CREATE TABLE `outbox_messages` (
	`position` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`ordering_key` text NOT NULL,
	`receipt_code` text,
	`destination_kind` text NOT NULL,
	`destination_id` text NOT NULL,
	`event_type` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`first_attempt_at` integer,
	`next_attempt_at` integer,
	`lease_until` integer,
	`last_error` text,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_messages_id_idx` ON `outbox_messages` (`id`);--> statement-breakpoint
CREATE INDEX `outbox_messages_queue_idx` ON `outbox_messages` (`destination_kind`,`destination_id`,`ordering_key`,`status`,`position`);--> statement-breakpoint
CREATE INDEX `outbox_messages_due_idx` ON `outbox_messages` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_messages_backlog_idx` ON `outbox_messages` (`destination_kind`,`destination_id`,`status`,`created_at`,`delivered_at`);--> statement-breakpoint
CREATE TABLE `webhook_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`events` text NOT NULL,
	`agency_codes` text,
	`secret` text NOT NULL,
	`previous_secret` text,
	`previous_secret_expires_at` integer,
	`created_at` integer NOT NULL,
	`rotated_at` integer,
	`created_by` text
);

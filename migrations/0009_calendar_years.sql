CREATE TABLE `calendar_years` (
	`calendar_id` text NOT NULL,
	`year` integer NOT NULL,
	`document_number` text NOT NULL,
	`document_date` text NOT NULL,
	`document_title` text,
	`days` text NOT NULL,
	`published_at` text NOT NULL,
	PRIMARY KEY(`calendar_id`, `year`),
	FOREIGN KEY (`calendar_id`) REFERENCES `calendars`(`id`) ON UPDATE no action ON DELETE no action
);

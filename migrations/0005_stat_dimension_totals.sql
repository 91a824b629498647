CREATE TABLE `stat_dimension_totals` (
	`dimension` text NOT NULL,
	`month` text NOT NULL,
	`key` text NOT NULL,
	`received` real DEFAULT 0 NOT NULL,
	`received_online` real DEFAULT 0 NOT NULL,
	`received_digitized` real DEFAULT 0 NOT NULL,
	`received_with_fee` real DEFAULT 0 NOT NULL,
	`received_paid_online` real DEFAULT 0 NOT NULL,
	`closed` real DEFAULT 0 NOT NULL,
	`early` real DEFAULT 0 NOT NULL,
	`on_time` real DEFAULT 0 NOT NULL,
	`late` real DEFAULT 0 NOT NULL,
	`legal_early` real DEFAULT 0 NOT NULL,
	`legal_on_time` real DEFAULT 0 NOT NULL,
	`legal_late` real DEFAULT 0 NOT NULL,
	`stopped` real DEFAULT 0 NOT NULL,
	`processing_minutes` real DEFAULT 0 NOT NULL,
	`overdue_from` real DEFAULT 0 NOT NULL,
	`overdue_to` real DEFAULT 0 NOT NULL,
	`legal_overdue_from` real DEFAULT 0 NOT NULL,
	`legal_overdue_to` real DEFAULT 0 NOT NULL,
	`progress_closed_on_time` real DEFAULT 0 NOT NULL,
	`progress_received` real DEFAULT 0 NOT NULL,
	`progress_closed` real DEFAULT 0 NOT NULL,
	`progress_overdue_from` real DEFAULT 0 NOT NULL,
	`progress_overdue_to` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`dimension`, `month`, `key`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `stat_dimension_totals` (dimension, month, key, received, received_online, received_digitized, received_with_fee, received_paid_online, closed, early, on_time, late, legal_early, legal_on_time, legal_late, stopped, processing_minutes, overdue_from, overdue_to, legal_overdue_from, legal_overdue_to, progress_closed_on_time, progress_received, progress_closed, progress_overdue_from, progress_overdue_to) SELECT 'all', month, '', sum(received), sum(received_online), sum(received_digitized), sum(received_with_fee), sum(received_paid_online), sum(closed), sum(early), sum(on_time), sum(late), sum(legal_early), sum(legal_on_time), sum(legal_late), sum(stopped), sum(processing_minutes), sum(overdue_from), sum(overdue_to), sum(legal_overdue_from), sum(legal_overdue_to), sum(progress_closed_on_time), sum(progress_received), sum(progress_closed), sum(progress_overdue_from), sum(progress_overdue_to) FROM `stat_month_totals` GROUP BY month, '';
--> statement-breakpoint
INSERT INTO `stat_dimension_totals` (dimension, month, key, received, received_online, received_digitized, received_with_fee, received_paid_online, closed, early, on_time, late, legal_early, legal_on_time, legal_late, stopped, processing_minutes, overdue_from, overdue_to, legal_overdue_from, legal_overdue_to, progress_closed_on_time, progress_received, progress_closed, progress_overdue_from, progress_overdue_to) SELECT 'agency', month, handling_agency_code, sum(received), sum(received_online), sum(received_digitized), sum(received_with_fee), sum(received_paid_online), sum(closed), sum(early), sum(on_time), sum(late), sum(legal_early), sum(legal_on_time), sum(legal_late), sum(stopped), sum(processing_minutes), sum(overdue_from), sum(overdue_to), sum(legal_overdue_from), sum(legal_overdue_to), sum(progress_closed_on_time), sum(progress_received), sum(progress_closed), sum(progress_overdue_from), sum(progress_overdue_to) FROM `stat_month_totals` GROUP BY month, handling_agency_code;
--> statement-breakpoint
INSERT INTO `stat_dimension_totals` (dimension, month, key, received, received_online, received_digitized, received_with_fee, received_paid_online, closed, early, on_time, late, legal_early, legal_on_time, legal_late, stopped, processing_minutes, overdue_from, overdue_to, legal_overdue_from, legal_overdue_to, progress_closed_on_time, progress_received, progress_closed, progress_overdue_from, progress_overdue_to) SELECT 'field', month, field_code, sum(received), sum(received_online), sum(received_digitized), sum(received_with_fee), sum(received_paid_online), sum(closed), sum(early), sum(on_time), sum(late), sum(legal_early), sum(legal_on_time), sum(legal_late), sum(stopped), sum(processing_minutes), sum(overdue_from), sum(overdue_to), sum(legal_overdue_from), sum(legal_overdue_to), sum(progress_closed_on_time), sum(progress_received), sum(progress_closed), sum(progress_overdue_from), sum(progress_overdue_to) FROM `stat_month_totals` GROUP BY month, field_code;
--> statement-breakpoint
INSERT INTO `stat_dimension_totals` (dimension, month, key, received, received_online, received_digitized, received_with_fee, received_paid_online, closed, early, on_time, late, legal_early, legal_on_time, legal_late, stopped, processing_minutes, overdue_from, overdue_to, legal_overdue_from, legal_overdue_to, progress_closed_on_time, progress_received, progress_closed, progress_overdue_from, progress_overdue_to) SELECT 'procedure', month, procedure_code, sum(received), sum(received_online), sum(received_digitized), sum(received_with_fee), sum(received_paid_online), sum(closed), sum(early), sum(on_time), sum(late), sum(legal_early), sum(legal_on_time), sum(legal_late), sum(stopped), sum(processing_minutes), sum(overdue_from), sum(overdue_to), sum(legal_overdue_from), sum(legal_overdue_to), sum(progress_closed_on_time), sum(progress_received), sum(progress_closed), sum(progress_overdue_from), sum(progress_overdue_to) FROM `stat_month_totals` GROUP BY month, procedure_code;
--> statement-breakpoint
INSERT INTO `stat_dimension_totals` (dimension, month, key, received, received_online, received_digitized, received_with_fee, received_paid_online, closed, early, on_time, late, legal_early, legal_on_time, legal_late, stopped, processing_minutes, overdue_from, overdue_to, legal_overdue_from, legal_overdue_to, progress_closed_on_time, progress_received, progress_closed, progress_overdue_from, progress_overdue_to) SELECT 'channel', month, channel, sum(received), sum(received_online), sum(received_digitized), sum(received_with_fee), sum(received_paid_online), sum(closed), sum(early), sum(on_time), sum(late), sum(legal_early), sum(legal_on_time), sum(legal_late), sum(stopped), sum(processing_minutes), sum(overdue_from), sum(overdue_to), sum(legal_overdue_from), sum(legal_overdue_to), sum(progress_closed_on_time), sum(progress_received), sum(progress_closed), sum(progress_overdue_from), sum(progress_overdue_to) FROM `stat_month_totals` GROUP BY month, channel;

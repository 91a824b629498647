CREATE TABLE "stat_duty_dimension_totals" (
	"dimension" text NOT NULL,
	"grain" text NOT NULL,
	"bucket" text NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"missed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_duty_dimension_totals_dimension_grain_bucket_key_kind_pk" PRIMARY KEY("dimension","grain","bucket","key","kind")
);
--> statement-breakpoint
CREATE TABLE "stat_duty_totals" (
	"grain" text NOT NULL,
	"bucket" text NOT NULL,
	"agency_code" text NOT NULL,
	"procedure_code" text NOT NULL,
	"channel" text NOT NULL,
	"field_code" text NOT NULL,
	"kind" text NOT NULL,
	"missed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_duty_totals_grain_bucket_agency_code_procedure_code_channel_field_code_kind_pk" PRIMARY KEY("grain","bucket","agency_code","procedure_code","channel","field_code","kind")
);
--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "duty_contributions" json DEFAULT '[]' NOT NULL;
--> statement-breakpoint
-- Backfill (src/domain/statistics/duty-contributions.ts): each dossier's duties missed once due (done late, or an owed kind not done), by the Vietnam-local day of the deadline (+7 h) and its report month (from the 15th, the next month); cancelled dossiers count nothing.
UPDATE "dossiers" SET "duty_contributions" = (SELECT json_agg(json_build_object('day', to_char(to_timestamp((l.due_at + 25200000) / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'agencyCode', l.agency_code, 'kind', l.kind) ORDER BY l.seq) FROM "dossier_duties" l WHERE l.receipt_code = "dossiers".receipt_code AND (l.done_at > l.due_at OR (l.done_at IS NULL AND l.kind <> 'supplement_request_window'))) WHERE "status" <> 'cancelled' AND EXISTS (SELECT 1 FROM "dossier_duties" l WHERE l.receipt_code = "dossiers".receipt_code AND (l.done_at > l.due_at OR (l.done_at IS NULL AND l.kind <> 'supplement_request_window')));
--> statement-breakpoint
INSERT INTO "stat_duty_totals" (grain, bucket, agency_code, procedure_code, channel, field_code, kind, missed) SELECT 'day', to_char(to_timestamp((l.due_at + 25200000) / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), l.agency_code, d.procedure_code, d.channel, d.field_code, l.kind, count(*) FROM "dossier_duties" l JOIN "dossiers" d ON d.receipt_code = l.receipt_code WHERE d.status <> 'cancelled' AND (l.done_at > l.due_at OR (l.done_at IS NULL AND l.kind <> 'supplement_request_window')) GROUP BY 2, 3, 4, 5, 6, 7;
--> statement-breakpoint
INSERT INTO "stat_duty_totals" (grain, bucket, agency_code, procedure_code, channel, field_code, kind, missed) SELECT 'month', CASE WHEN substr(to_char(to_timestamp((l.due_at + 25200000) / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 9, 2) >= '15' THEN to_char(date_trunc('month', to_timestamp((l.due_at + 25200000) / 1000) AT TIME ZONE 'UTC') + interval '1 month', 'YYYY-MM') ELSE substr(to_char(to_timestamp((l.due_at + 25200000) / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 1, 7) END, l.agency_code, d.procedure_code, d.channel, d.field_code, l.kind, count(*) FROM "dossier_duties" l JOIN "dossiers" d ON d.receipt_code = l.receipt_code WHERE d.status <> 'cancelled' AND (l.done_at > l.due_at OR (l.done_at IS NULL AND l.kind <> 'supplement_request_window')) GROUP BY 2, 3, 4, 5, 6, 7;
--> statement-breakpoint
INSERT INTO "stat_duty_dimension_totals" (dimension, grain, bucket, key, kind, missed) SELECT 'all', grain, bucket, '', kind, sum(missed) FROM "stat_duty_totals" GROUP BY grain, bucket, kind;
--> statement-breakpoint
INSERT INTO "stat_duty_dimension_totals" (dimension, grain, bucket, key, kind, missed) SELECT 'agency', grain, bucket, agency_code, kind, sum(missed) FROM "stat_duty_totals" GROUP BY grain, bucket, agency_code, kind;
--> statement-breakpoint
INSERT INTO "stat_duty_dimension_totals" (dimension, grain, bucket, key, kind, missed) SELECT 'channel', grain, bucket, channel, kind, sum(missed) FROM "stat_duty_totals" GROUP BY grain, bucket, channel, kind;
--> statement-breakpoint
INSERT INTO "stat_duty_dimension_totals" (dimension, grain, bucket, key, kind, missed) SELECT 'field', grain, bucket, field_code, kind, sum(missed) FROM "stat_duty_totals" GROUP BY grain, bucket, field_code, kind;
--> statement-breakpoint
INSERT INTO "stat_duty_dimension_totals" (dimension, grain, bucket, key, kind, missed) SELECT 'procedure', grain, bucket, procedure_code, kind, sum(missed) FROM "stat_duty_totals" GROUP BY grain, bucket, procedure_code, kind;

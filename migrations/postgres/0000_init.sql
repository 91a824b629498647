CREATE TABLE "access_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"receipt_code" text NOT NULL,
	"action" text NOT NULL,
	"actor_key_id" text,
	"actor_name" text,
	"actor_role" text NOT NULL,
	"remote_address" text,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "agencies" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"parent_code" text,
	"calendar_id" text NOT NULL,
	"place" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"agency_codes" json NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" text NOT NULL,
	"revoked_at" text,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "apology_letters" (
	"receipt_code" text PRIMARY KEY NOT NULL,
	"agency_code" text NOT NULL,
	"year" bigint NOT NULL,
	"number" bigint NOT NULL,
	"reason" text NOT NULL,
	"issued_at" bigint NOT NULL,
	"original_due_at" bigint NOT NULL,
	"new_due_at" bigint NOT NULL,
	"issued_in_time" boolean NOT NULL,
	"place" text,
	"signer_name" text,
	"signer_title" text,
	"recipients" json NOT NULL,
	"recorded_by" text,
	"recorded_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"calendar_id" text NOT NULL,
	"date" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"hours" json,
	"updated_at" text NOT NULL,
	CONSTRAINT "calendar_days_calendar_id_date_pk" PRIMARY KEY("calendar_id","date")
);
--> statement-breakpoint
CREATE TABLE "calendar_years" (
	"calendar_id" text NOT NULL,
	"year" bigint NOT NULL,
	"document_number" text NOT NULL,
	"document_date" text NOT NULL,
	"document_title" text,
	"days" json NOT NULL,
	"published_at" text NOT NULL,
	CONSTRAINT "calendar_years_calendar_id_year_pk" PRIMARY KEY("calendar_id","year")
);
--> statement-breakpoint
CREATE TABLE "calendars" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"weekly_hours" json NOT NULL,
	"same_day_cutoff" text NOT NULL,
	"working_day_minutes" bigint NOT NULL,
	"holiday_rules" text NOT NULL,
	"revision" bigint DEFAULT 1 NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dossier_duties" (
	"receipt_code" text NOT NULL,
	"seq" bigint NOT NULL,
	"kind" text NOT NULL,
	"agency_code" text NOT NULL,
	"due_at" bigint NOT NULL,
	"done_at" bigint,
	"owed" boolean NOT NULL,
	CONSTRAINT "dossier_duties_receipt_code_seq_pk" PRIMARY KEY("receipt_code","seq")
);
--> statement-breakpoint
CREATE TABLE "dossier_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"receipt_code" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" bigint NOT NULL,
	"agency_code" text NOT NULL,
	"payload" json NOT NULL,
	"body_hash" text NOT NULL,
	"recorded_at" bigint NOT NULL,
	"recorded_by" text
);
--> statement-breakpoint
CREATE TABLE "dossier_overdue_spans" (
	"receipt_code" text NOT NULL,
	"basis" text NOT NULL,
	"from_at" bigint NOT NULL,
	"to_at" bigint
);
--> statement-breakpoint
CREATE TABLE "dossier_ratings" (
	"receipt_code" text PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"reason" text,
	"rated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dossiers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"receipt_code" text NOT NULL,
	"procedure_code" text NOT NULL,
	"procedure_version" bigint NOT NULL,
	"field_code" text NOT NULL,
	"receiving_agency_code" text NOT NULL,
	"handling_agency_code" text NOT NULL,
	"current_agency_code" text NOT NULL,
	"calendar_id" text NOT NULL,
	"channel" text NOT NULL,
	"applicant_kind" text NOT NULL,
	"applicant_name" text NOT NULL,
	"applicant_id_number" text NOT NULL,
	"applicant_contact" json NOT NULL,
	"summary" text,
	"documents" json,
	"set_count" bigint,
	"digitized" boolean NOT NULL,
	"fee_vnd" bigint,
	"paid_online" boolean NOT NULL,
	"received_at" bigint NOT NULL,
	"submitted_at" bigint,
	"status" text NOT NULL,
	"national_status_code" bigint,
	"paused" boolean NOT NULL,
	"clock_as_of" bigint,
	"late_when_suspended" boolean DEFAULT false NOT NULL,
	"due_at" bigint NOT NULL,
	"original_due_at" bigint NOT NULL,
	"legal_due_at" bigint NOT NULL,
	"rescheduled_due_at" bigint,
	"finished_at" bigint,
	"returned_at" bigint,
	"stopped_at" bigint,
	"outcome" text,
	"timeliness" text,
	"legal_timeliness" text,
	"supplement_requests" bigint NOT NULL,
	"paused_minutes" double precision NOT NULL,
	"processing_minutes" double precision,
	"current_step_code" text,
	"responsible_agency_code" text,
	"event_count" bigint NOT NULL,
	"stat_contributions" json DEFAULT '[]' NOT NULL,
	"reception_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "dossiers_receipt_code_unique" UNIQUE("receipt_code")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"body_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"status" bigint,
	"content_type" text,
	"body" text,
	CONSTRAINT "idempotency_keys_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE TABLE "outbound_schedule" (
	"receipt_code" text NOT NULL,
	"moment_key" text NOT NULL,
	"event_type" text NOT NULL,
	"due_at" bigint NOT NULL,
	"expires_at" bigint,
	"detail" json NOT NULL,
	"planned_at" bigint NOT NULL,
	"fired_at" bigint,
	CONSTRAINT "outbound_schedule_receipt_code_moment_key_pk" PRIMARY KEY("receipt_code","moment_key")
);
--> statement-breakpoint
CREATE TABLE "outbox_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"destination_kind" text NOT NULL,
	"destination_id" text NOT NULL,
	"attempt" bigint NOT NULL,
	"attempted_at" bigint NOT NULL,
	"duration_ms" bigint NOT NULL,
	"outcome" text NOT NULL,
	"status_code" bigint,
	"error" text,
	"next_attempt_at" bigint
);
--> statement-breakpoint
CREATE TABLE "outbox_messages" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"ordering_key" text NOT NULL,
	"receipt_code" text,
	"destination_kind" text NOT NULL,
	"destination_id" text NOT NULL,
	"event_type" text NOT NULL,
	"payload" text NOT NULL,
	"created_at" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"first_attempt_at" bigint,
	"next_attempt_at" bigint,
	"lease_until" bigint,
	"last_error" text,
	"delivered_at" bigint
);
--> statement-breakpoint
CREATE TABLE "procedure_versions" (
	"procedure_code" text NOT NULL,
	"version" bigint NOT NULL,
	"name" text NOT NULL,
	"field_code" text NOT NULL,
	"field_name" text NOT NULL,
	"legal_duration_value" double precision NOT NULL,
	"legal_duration_unit" text NOT NULL,
	"committed_duration_value" double precision NOT NULL,
	"committed_duration_unit" text NOT NULL,
	"committed_duration_derived" boolean NOT NULL,
	"supplement_policy" text,
	"supplement_completion_value" double precision,
	"supplement_completion_unit" text,
	"steps" json NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "procedure_versions_procedure_code_version_pk" PRIMARY KEY("procedure_code","version")
);
--> statement-breakpoint
CREATE TABLE "procedures" (
	"code" text PRIMARY KEY NOT NULL,
	"current_version" bigint NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receipt_sequences" (
	"agency_code" text NOT NULL,
	"day" text NOT NULL,
	"last_value" bigint NOT NULL,
	CONSTRAINT "receipt_sequences_agency_code_day_pk" PRIMARY KEY("agency_code","day")
);
--> statement-breakpoint
CREATE TABLE "stat_dimension_totals" (
	"dimension" text NOT NULL,
	"month" text NOT NULL,
	"key" text NOT NULL,
	"received" double precision DEFAULT 0 NOT NULL,
	"received_online" double precision DEFAULT 0 NOT NULL,
	"received_digitized" double precision DEFAULT 0 NOT NULL,
	"received_with_fee" double precision DEFAULT 0 NOT NULL,
	"received_paid_online" double precision DEFAULT 0 NOT NULL,
	"closed" double precision DEFAULT 0 NOT NULL,
	"early" double precision DEFAULT 0 NOT NULL,
	"on_time" double precision DEFAULT 0 NOT NULL,
	"late" double precision DEFAULT 0 NOT NULL,
	"legal_early" double precision DEFAULT 0 NOT NULL,
	"legal_on_time" double precision DEFAULT 0 NOT NULL,
	"legal_late" double precision DEFAULT 0 NOT NULL,
	"stopped" double precision DEFAULT 0 NOT NULL,
	"processing_minutes" double precision DEFAULT 0 NOT NULL,
	"overdue_from" double precision DEFAULT 0 NOT NULL,
	"overdue_to" double precision DEFAULT 0 NOT NULL,
	"legal_overdue_from" double precision DEFAULT 0 NOT NULL,
	"legal_overdue_to" double precision DEFAULT 0 NOT NULL,
	"progress_closed_on_time" double precision DEFAULT 0 NOT NULL,
	"progress_received" double precision DEFAULT 0 NOT NULL,
	"progress_closed" double precision DEFAULT 0 NOT NULL,
	"progress_overdue_from" double precision DEFAULT 0 NOT NULL,
	"progress_overdue_to" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_dimension_totals_dimension_month_key_pk" PRIMARY KEY("dimension","month","key")
);
--> statement-breakpoint
CREATE TABLE "stat_month_totals" (
	"month" text NOT NULL,
	"handling_agency_code" text NOT NULL,
	"field_code" text NOT NULL,
	"procedure_code" text NOT NULL,
	"channel" text NOT NULL,
	"received" double precision DEFAULT 0 NOT NULL,
	"received_online" double precision DEFAULT 0 NOT NULL,
	"received_digitized" double precision DEFAULT 0 NOT NULL,
	"received_with_fee" double precision DEFAULT 0 NOT NULL,
	"received_paid_online" double precision DEFAULT 0 NOT NULL,
	"closed" double precision DEFAULT 0 NOT NULL,
	"early" double precision DEFAULT 0 NOT NULL,
	"on_time" double precision DEFAULT 0 NOT NULL,
	"late" double precision DEFAULT 0 NOT NULL,
	"legal_early" double precision DEFAULT 0 NOT NULL,
	"legal_on_time" double precision DEFAULT 0 NOT NULL,
	"legal_late" double precision DEFAULT 0 NOT NULL,
	"stopped" double precision DEFAULT 0 NOT NULL,
	"processing_minutes" double precision DEFAULT 0 NOT NULL,
	"overdue_from" double precision DEFAULT 0 NOT NULL,
	"overdue_to" double precision DEFAULT 0 NOT NULL,
	"legal_overdue_from" double precision DEFAULT 0 NOT NULL,
	"legal_overdue_to" double precision DEFAULT 0 NOT NULL,
	"progress_closed_on_time" double precision DEFAULT 0 NOT NULL,
	"progress_received" double precision DEFAULT 0 NOT NULL,
	"progress_closed" double precision DEFAULT 0 NOT NULL,
	"progress_overdue_from" double precision DEFAULT 0 NOT NULL,
	"progress_overdue_to" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_month_totals_month_handling_agency_code_procedure_code_channel_field_code_pk" PRIMARY KEY("month","handling_agency_code","procedure_code","channel","field_code")
);
--> statement-breakpoint
CREATE TABLE "storage_probe" (
	"id" bigint PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"events" json NOT NULL,
	"agency_codes" json,
	"secret" text NOT NULL,
	"previous_secret" text,
	"previous_secret_expires_at" bigint,
	"created_at" bigint NOT NULL,
	"rotated_at" bigint,
	"created_by" text
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_calendar_id_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."calendars"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "apology_letters" ADD CONSTRAINT "apology_letters_receipt_code_dossiers_receipt_code_fk" FOREIGN KEY ("receipt_code") REFERENCES "public"."dossiers"("receipt_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "apology_letters" ADD CONSTRAINT "apology_letters_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_calendar_id_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."calendars"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_years" ADD CONSTRAINT "calendar_years_calendar_id_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."calendars"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_duties" ADD CONSTRAINT "dossier_duties_receipt_code_dossiers_receipt_code_fk" FOREIGN KEY ("receipt_code") REFERENCES "public"."dossiers"("receipt_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_events" ADD CONSTRAINT "dossier_events_receipt_code_dossiers_receipt_code_fk" FOREIGN KEY ("receipt_code") REFERENCES "public"."dossiers"("receipt_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_overdue_spans" ADD CONSTRAINT "dossier_overdue_spans_receipt_code_dossiers_receipt_code_fk" FOREIGN KEY ("receipt_code") REFERENCES "public"."dossiers"("receipt_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_ratings" ADD CONSTRAINT "dossier_ratings_receipt_code_dossiers_receipt_code_fk" FOREIGN KEY ("receipt_code") REFERENCES "public"."dossiers"("receipt_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedure_versions" ADD CONSTRAINT "procedure_versions_procedure_code_procedures_code_fk" FOREIGN KEY ("procedure_code") REFERENCES "public"."procedures"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_audit_receipt_code_idx" ON "access_audit" USING btree ("receipt_code","id");--> statement-breakpoint
CREATE INDEX "access_audit_actor_idx" ON "access_audit" USING btree ("actor_key_id","id");--> statement-breakpoint
CREATE INDEX "agencies_parent_code_idx" ON "agencies" USING btree ("parent_code");--> statement-breakpoint
CREATE UNIQUE INDEX "apology_letters_number_idx" ON "apology_letters" USING btree ("agency_code","year","number");--> statement-breakpoint
CREATE INDEX "apology_letters_issued_at_idx" ON "apology_letters" USING btree ("issued_at");--> statement-breakpoint
CREATE INDEX "dossier_duties_owed_idx" ON "dossier_duties" USING btree ("kind","owed","due_at");--> statement-breakpoint
CREATE INDEX "dossier_duties_due_idx" ON "dossier_duties" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "dossier_events_dossier_idx" ON "dossier_events" USING btree ("receipt_code","occurred_at");--> statement-breakpoint
CREATE INDEX "dossier_overdue_spans_dossier_idx" ON "dossier_overdue_spans" USING btree ("receipt_code","basis");--> statement-breakpoint
CREATE INDEX "dossier_ratings_rated_at_idx" ON "dossier_ratings" USING btree ("rated_at");--> statement-breakpoint
CREATE INDEX "dossiers_receiving_idx" ON "dossiers" USING btree ("receiving_agency_code","id");--> statement-breakpoint
CREATE INDEX "dossiers_handling_idx" ON "dossiers" USING btree ("handling_agency_code","id");--> statement-breakpoint
CREATE INDEX "dossiers_status_due_idx" ON "dossiers" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "dossiers_procedure_idx" ON "dossiers" USING btree ("procedure_code","id");--> statement-breakpoint
CREATE INDEX "dossiers_received_at_idx" ON "dossiers" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "dossiers_finished_at_idx" ON "dossiers" USING btree ("finished_at");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbound_schedule_due_idx" ON "outbound_schedule" USING btree ("fired_at","due_at");--> statement-breakpoint
CREATE INDEX "outbox_deliveries_destination_idx" ON "outbox_deliveries" USING btree ("destination_kind","destination_id","id");--> statement-breakpoint
CREATE INDEX "outbox_deliveries_message_idx" ON "outbox_deliveries" USING btree ("message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_messages_id_idx" ON "outbox_messages" USING btree ("id");--> statement-breakpoint
CREATE INDEX "outbox_messages_queue_idx" ON "outbox_messages" USING btree ("destination_kind","destination_id","ordering_key","status","position");--> statement-breakpoint
CREATE INDEX "outbox_messages_due_idx" ON "outbox_messages" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_messages_backlog_idx" ON "outbox_messages" USING btree ("destination_kind","destination_id","status","created_at","delivered_at");
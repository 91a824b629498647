/**
 * What a dossier change sends out (issue #15, API.md "Outbound"): the webhook events of the change
 * (`dossier.received`, `dossier.status_changed`, `apology_letter.issued`), the portal's DongBoHoSoMC
 * record as it stands after the change when the portal is configured (Decree 118/2025 art.
 * 27(2)(d): the provincial system keeps the National Public Service Portal in sync with every
 * status; DOMAIN.md §8), and the dossier's time-driven moments (next-moments.ts).
 *
 * `prepare` reads what it needs before the write (agencies, letters, subscriptions) and returns a
 * synchronous builder that the storage calls inside the write's transaction, once the receipt code
 * is known: the messages commit with the change or not at all.
 *
 * Webhook payloads carry no personal data (no applicant name or identity number): a subscriber
 * reads the dossier through the API with its own key, where reads are authorized and audited
 * (Personal Data Protection Law 91/2025, data minimisation). The portal record carries what
 * DOMAIN.md §8 requires.
 */
import type { DossierReplay, DossierState } from "../../domain/dossier/dossier-fold.js";
import type { DossierEvent, DossierStatus } from "../../domain/dossier/dossier-types.js";
import type { WorkingCalendar } from "../../domain/calendar/working-calendar.js";
import { planMoments } from "../../domain/outbound/next-moments.js";
import type { WebhookEventType } from "../../domain/outbound/outbound-types.js";
import { buildPortalRecord } from "../../domain/outbound/portal-record.js";
import type { ProcedureVersion } from "../../domain/procedure/procedure-types.js";
import { formatInstant } from "../../domain/time.js";
import type { ApologyLetterRepository } from "../apology-letter-ports.js";
import type { AgencyRepository } from "../catalog-ports.js";
import type { DossierRecord, OutboundChange, OutboundOf } from "../dossier-ports.js";
import { outboundMessages, type DossierOutboundEvent } from "./outbound-messages.js";
import type { WebhookSubscriptionRepository } from "./webhook-ports.js";

/** The dossier as the change leaves it (the receipt code is added by the storage). */
export type ChangedDossier = Pick<
  DossierRecord,
  | "procedureCode"
  | "channel"
  | "applicant"
  | "summary"
  | "receivedAt"
  | "receivingAgencyCode"
  | "handlingAgencyCode"
  | "currentAgencyCode"
  | "digitized"
  | "paidOnline"
  | "rescheduledDueAt"
> & { readonly receiptCode?: string };

export interface DossierChange {
  readonly kind: "received" | "events" | "apology_letter";
  readonly dossier: ChangedDossier;
  readonly procedure: ProcedureVersion;
  readonly replay: DossierReplay;
  /** The state as of the change (its last event, or the reception). */
  readonly state: DossierState;
  readonly engine: WorkingCalendar;
  /** The whole history after the change. */
  readonly events: readonly DossierEvent[];
  /** The events this change added (status changes are reported per event). */
  readonly added: readonly DossierEvent[];
  readonly previousStatus: DossierStatus | null;
  /** The letter this change issued (kind apology_letter). */
  readonly letter?: { readonly agencyCode: string; readonly issuedAt: number; readonly newDueAt: number; readonly reason: string };
  readonly at: number;
}

/** The webhook event type each kind of change sends (API.md "Outbound"). */
const EVENT_TYPE_OF: Readonly<Record<DossierChange["kind"], WebhookEventType>> = {
  received: "dossier.received",
  events: "dossier.status_changed",
  apology_letter: "apology_letter.issued",
};

export function createDossierOutbound(deps: {
  subscriptions: Pick<WebhookSubscriptionRepository, "subscribedTo">;
  agencies: Pick<AgencyRepository, "list">;
  letters: Pick<ApologyLetterRepository, "listFor">;
  lineage: (agencyCode: string) => Promise<string[]>;
  /** True when MOTCUA_PORTAL_URL is set: every change sends the portal record. */
  portal: boolean;
}) {
  return {
    async prepare(change: DossierChange): Promise<OutboundOf> {
      const { dossier, state } = change;
      const summary = (receiptCode: string) => ({
        receiptCode,
        procedureCode: dossier.procedureCode,
        status: state.status,
        nationalStatusCode: state.nationalStatusCode,
        receivingAgencyCode: dossier.receivingAgencyCode,
        handlingAgencyCode: dossier.handlingAgencyCode,
        currentAgencyCode: state.currentAgencyCode,
        receivedAt: formatInstant(dossier.receivedAt),
        dueAt: formatInstant(state.dueAt),
      });
      const events = (receiptCode: string): DossierOutboundEvent[] => {
        const out: DossierOutboundEvent[] = [];
        if (change.kind === "received") out.push({ receiptCode, type: "dossier.received", at: dossier.receivedAt, data: summary(receiptCode) });
        if (change.kind === "events") {
          // One status_changed per added event that moved the status, in the fold's order (a late
          // event is reported with the status it moved the history to).
          const added = new Map(change.added.map((e) => [e.eventId, e]));
          let previous: DossierStatus = "received";
          for (const entry of change.replay.timeline) {
            const event = added.get(entry.eventId);
            if (event !== undefined && entry.statusAfter !== previous)
              out.push({
                receiptCode,
                type: "dossier.status_changed",
                at: event.occurredAt,
                data: { ...summary(receiptCode), previousStatus: previous, statusAfterEvent: entry.statusAfter, eventId: event.eventId, eventType: event.type },
              });
            previous = entry.statusAfter;
          }
        }
        if (change.kind === "apology_letter" && change.letter)
          out.push({
            receiptCode,
            type: "apology_letter.issued",
            at: change.letter.issuedAt,
            data: { ...summary(receiptCode), agencyCode: change.letter.agencyCode, newDueAt: formatInstant(change.letter.newDueAt) },
          });
        return out;
      };

      // Read before the write: who subscribed (to the one type this kind of change can send), which
      // agencies the dossier involves, names, letters.
      const type = EVENT_TYPE_OF[change.kind];
      const subscribed = new Map([[type, await deps.subscriptions.subscribedTo(type)]]);
      const anySubscriber = [...subscribed.values()].some((s) => s.length > 0);
      const lineages = anySubscriber
        ? await Promise.all([...new Set([dossier.receivingAgencyCode, dossier.handlingAgencyCode, state.currentAgencyCode])].map(deps.lineage))
        : [];
      const names = deps.portal ? new Map((await deps.agencies.list()).map((a) => [a.code, a.name])) : new Map<string, string>();
      const extensions =
        deps.portal && dossier.receiptCode !== undefined
          ? (await deps.letters.listFor(dossier.receiptCode)).map((l) => ({ issuedAt: l.issuedAt, originalDueAt: l.originalDueAt, newDueAt: l.newDueAt, reason: l.reason }))
          : [];
      if (change.letter && deps.portal)
        extensions.push({ issuedAt: change.letter.issuedAt, originalDueAt: state.dueAt, newDueAt: change.letter.newDueAt, reason: change.letter.reason });

      return (receiptCode): OutboundChange => {
        const portalRecord = deps.portal
          ? buildPortalRecord({
              dossier: { ...dossier, receiptCode },
              procedure: change.procedure,
              replay: change.replay,
              state,
              events: change.events,
              extensions,
              agencyName: (code) => names.get(code),
              calendar: change.engine,
            })
          : null;
        return {
          messages: outboundMessages({ events: events(receiptCode), subscriptions: (t) => subscribed.get(t) ?? [], lineages, portalRecord, now: change.at }),
          moments: (fired) => planMoments({ replay: change.replay, calendar: change.engine, rescheduledDueAt: dossier.rescheduledDueAt, fired }),
        };
      };
    },
  };
}

export type DossierOutbound = ReturnType<typeof createDossierOutbound>;

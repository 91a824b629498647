/**
 * What outbound delivery needs from storage (issue #15; DOMAIN.md §8 "sync is an outbox").
 *
 * Contract, for whoever implements it (src/db/sqlite/outbox-repository.ts) and whoever calls it:
 * - Messages are enqueued INSIDE the write transaction that causes them (each storage does it
 *   with the dossier write, OutboundChange in dossier-ports.ts, and with a fired moment,
 *   schedule-ports.ts `fire`), so they commit or roll back with the change (no message for a
 *   rolled-back write, no lost message for a committed one). Enqueueing is therefore not a
 *   method of this port: it belongs to each storage's own transactions.
 * - Order is kept per (destination, ordering key): `claimDue` returns, for each such queue, only
 *   its first pending message (lowest position), and only when that one is due and not leased;
 *   the next one of the queue becomes claimable once the first is delivered or dead. Claiming
 *   costs the same whatever the backlog (a day of an unreachable portal must not slow it down).
 * - `claimDue` leases what it returns until `now + leaseMs`: a dispatcher that dies mid-delivery
 *   leaves the lease to expire, and the message is delivered again (at least once). Receivers
 *   deduplicate on the message id (the `webhook-id`; the portal on MaHoSo, DOMAIN.md §8).
 * - The mark* methods end the lease and log the attempt (`outbox_deliveries`); they change only a
 *   message still pending (a concurrent resend or dead-letter wins).
 * Instants are epoch ms.
 */
import type { DeliveryOutcome, DestinationKind, OutboundEventType, OutboxStatus } from "../../domain/outbound/outbound-types.js";

export interface Destination {
  readonly kind: DestinationKind;
  /** The webhook subscription's id, or "portal". */
  readonly id: string;
}

export const PORTAL_DESTINATION: Destination = Object.freeze({ kind: "portal", id: "portal" });

export interface NewOutboxMessage {
  /** Unique and stable: sent as `webhook-id` (suggested: `msg_` + a UUID without dashes). */
  readonly id: string;
  /** The dossier's receipt code, normally: order is kept per destination and key. */
  readonly orderingKey: string;
  readonly receiptCode: string | null;
  readonly destination: Destination;
  readonly eventType: OutboundEventType;
  /** The exact JSON body to send (for webhooks, `{ type, timestamp, data }`): signed byte for byte. */
  readonly payload: string;
  readonly createdAt: number;
  /**
   * A snapshot that makes the previous one moot (the portal record: the portal keeps the latest
   * per MaHoSo, DOMAIN.md §8): when the queue's last message is still waiting behind its head
   * (not yet attempted), its body is replaced by this one instead of queueing another, so a day
   * of an unreachable portal leaves at most two messages per dossier. Keeps the waiting message's
   * id, position and createdAt (the oldest undelivered change is still that old).
   */
  readonly coalesce?: boolean;
}

export interface OutboxMessage {
  readonly id: string;
  readonly position: number;
  readonly orderingKey: string;
  readonly receiptCode: string | null;
  readonly destination: Destination;
  readonly eventType: OutboundEventType;
  readonly payload: string;
  readonly createdAt: number;
  readonly status: OutboxStatus;
  /** Attempts finished so far (delivered or failed). */
  readonly attempts: number;
  readonly firstAttemptAt: number | null;
  /** When it is due; null while it waits behind an earlier message of its queue. */
  readonly nextAttemptAt: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: number | null;
}

/** One attempt, as logged (GET /v1/webhooks/{id}/deliveries). */
export interface DeliveryAttempt {
  readonly attemptedAt: number;
  readonly durationMs: number;
  readonly outcome: DeliveryOutcome;
  readonly statusCode: number | null;
  readonly error: string | null;
}

export interface LoggedDelivery extends DeliveryAttempt {
  readonly messageId: string;
  readonly destination: Destination;
  readonly attempt: number;
  readonly nextAttemptAt: number | null;
}

export interface DestinationBacklog {
  readonly destination: Destination;
  readonly pending: number;
  readonly dead: number;
  readonly delivered: number;
  /** createdAt of the oldest message not yet delivered (pending or dead); null when none. */
  readonly oldestUndeliveredAt: number | null;
  readonly lastDeliveredAt: number | null;
}

export interface OutboxBacklog {
  readonly pending: number;
  readonly dead: number;
  readonly oldestUndeliveredAt: number | null;
  /** now − oldestUndeliveredAt, in ms; 0 when nothing is undelivered. */
  readonly oldestUndeliveredAgeMs: number;
  readonly byDestination: readonly DestinationBacklog[];
}

export type SettleOutcome =
  | { readonly id: string; readonly result: "delivered" | "dead"; readonly attempt: DeliveryAttempt }
  | { readonly id: string; readonly result: "failed"; readonly attempt: DeliveryAttempt; readonly nextAttemptAt: number };

/** Which messages to queue again: named ones, or a dossier's (see `resend`). */
export type ResendTarget =
  | { readonly ids: readonly string[] }
  | { readonly receiptCodes: readonly string[]; readonly destinationKind?: DestinationKind };

export interface OutboxRepository {
  /** Up to `limit` messages, each the first pending of its queue, due at `now` and unleased; leased until now + leaseMs. Oldest due first. */
  claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxMessage[]>;
  markDelivered(id: string, attempt: DeliveryAttempt): Promise<void>;
  /** A failed attempt: counted, retried at `nextAttemptAt`; the first attempt's instant is kept for the dead-letter window. */
  markFailed(id: string, attempt: DeliveryAttempt, nextAttemptAt: number): Promise<void>;
  /** Given up (24 h after the first attempt): the queue moves on to its next message. */
  markDead(id: string, attempt: DeliveryAttempt): Promise<void>;
  /**
   * Several settlements (delivered / failed / dead, as the three methods above) in ONE durable
   * transaction: the dispatcher batches the attempts that finish together (group commit), so
   * delivery throughput is not one fsync per message.
   */
  settle(outcomes: readonly SettleOutcome[]): Promise<void>;
  /** Not attempted (the destination's circuit is open): the lease ends, no attempt is counted, due again at `until`. */
  postpone(id: string, until: number): Promise<void>;
  /**
   * Queues messages again, at the END of their queue (after anything queued before the resend),
   * as pending, due now, with a fresh 24-hour window. `{ ids }`: those messages (dead or
   * delivered). `{ receiptCodes }`: per destination and dossier, its dead messages and its
   * latest message if that one was delivered (so the portal gets the dossier's latest record
   * again). Returns how many were queued. For the portal, the caller may rather enqueue a fresh
   * record of the dossier (portal-record.ts): a resent old record must not overwrite a newer one.
   */
  resend(target: ResendTarget, now: number): Promise<number>;
  /** Counts per destination (reads every retained message: keep the table short with `purgeDelivered`). */
  backlog(now: number): Promise<OutboxBacklog>;
  /** Deletes delivered messages, and the delivery log, older than `before` (retention). Returns how many messages. */
  purgeDelivered(before: number): Promise<number>;
  /** The delivery log of one destination, newest first. */
  listDeliveries(destination: Destination, limit: number, beforeId?: number): Promise<(LoggedDelivery & { readonly id: number })[]>;
  get(id: string): Promise<OutboxMessage | undefined>;
}

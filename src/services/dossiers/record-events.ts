/**
 * Use case: a desk records events on a dossier (one or a batch, in any order, all or nothing;
 * API.md "Dossiers"). Re-sent events with the same body are acknowledged without change; a reused
 * eventId with another body is a conflict. The whole history is replayed once per write and the
 * projection stored with the events in one transaction, under optimistic concurrency.
 */
import type { Principal } from "../../domain/access/roles.js";
import type { DossierEvent } from "../../domain/dossier/dossier-types.js";
import { evaluateDossier } from "../../domain/dossier/dossier-fold.js";
import { toDossierEvent, type EventInput } from "../../domain/dossier/event-input.js";
import { contentHash } from "../content-hash.js";
import { AppError, conflict, notFound, ruleViolation, validationFailed, type FieldError } from "../../domain/errors.js";
import type { DossierRepository, NewEvent } from "../dossier-ports.js";
import type { AgencyAccess } from "./dossier-access.js";
import type { DossierOutbound } from "../outbound/dossier-outbound.js";
import { checkNotFuture, projectionOfReplay, type DossierHistory, type DossierView } from "./dossier-history.js";

/** Optimistic-concurrency retries when two writes race on the same dossier. */
const MAX_WRITE_ATTEMPTS = 5;

export function createRecordEvents(deps: {
  dossiers: Pick<DossierRepository, "get" | "getWithEvents" | "findEvents" | "appendEvents">;
  access: AgencyAccess;
  history: Pick<DossierHistory, "view" | "replayWith" | "remember">;
  outbound?: Pick<DossierOutbound, "prepare">;
  /** After a commit that queued outbound messages (wakes the dispatcher). */
  committed?: () => void;
  now: () => number;
}) {
  const { dossiers, access, history } = deps;

  /**
   * Records events (one or a batch, in any order, all or nothing). Re-sent events with the same
   * body are acknowledged without change; a reused eventId with another body is a conflict.
   */
  return async function postEvents(receiptCode: string, inputs: readonly EventInput[], principal: Principal, batch: boolean): Promise<{ created: boolean; view: DossierView }> {
    const now = deps.now();
    const prefix = (i: number) => (batch ? `events[${i}].` : "");
    const errors: FieldError[] = [];
    const parsed: { event: DossierEvent; bodyHash: string; index: number }[] = [];
    const seen = new Map<string, number>();
    inputs.forEach((input, index) => {
      const { event, errors: eventErrors } = toDossierEvent(input, prefix(index));
      errors.push(...eventErrors);
      if (!event) return;
      errors.push(...checkNotFuture(event.occurredAt, `${prefix(index)}occurredAt`, now));
      if (seen.has(event.eventId)) errors.push({ field: `${prefix(index)}eventId`, message: `repeats events[${seen.get(event.eventId)}].eventId` });
      seen.set(event.eventId, index);
      parsed.push({ event, bodyHash: contentHash(event), index });
    });
    if (errors.length > 0) throw validationFailed(errors);

    for (let attempt = 1; ; attempt++) {
      // The row only: its event count says whether the kept replay is current (dossier-history.ts).
      const dossier = await dossiers.get(receiptCode);
      if (!dossier) throw notFound("Dossier", receiptCode);
      await access.authorizeDossier(principal, dossier, true);
      for (const { event, index } of parsed) {
        // An event is recorded in the name of an agency the caller acts for, never another's.
        if (!(await access.mayActFor(principal, event.agencyCode)))
          throw new AppError("forbidden", `this key may not record events in the name of ${event.agencyCode}`, [
            { field: `${prefix(index)}agencyCode`, message: "is an agency this key may not act for" },
          ]);
        if (event.type === "cancelled" && principal.role !== "admin")
          throw new AppError("forbidden", "only an administrator may cancel a dossier (data-entry corrections)", [
            { field: `${prefix(index)}type`, message: "cancelled is for administrators" },
          ]);
        await access.requireAgency(event.agencyCode, `${prefix(index)}agencyCode`);
        if (event.type === "transferred") await access.requireAgency(event.toAgencyCode, `${prefix(index)}toAgencyCode`);
      }

      const stored = new Map((await dossiers.findEvents(parsed.map((p) => p.event.eventId))).map((s) => [s.event.eventId, s]));
      const fresh: NewEvent[] = [];
      for (const { event, bodyHash, index } of parsed) {
        const previous = stored.get(event.eventId);
        if (!previous) fresh.push({ event, bodyHash, recordedBy: principal.keyId });
        else if (previous.receiptCode !== receiptCode || previous.bodyHash !== bodyHash)
          throw conflict(`event ${event.eventId} was already recorded with a different body`, [
            { field: `${prefix(index)}eventId`, message: "already used for another event" },
          ]);
      }
      if (fresh.length === 0) {
        const found = await dossiers.getWithEvents(receiptCode);
        if (!found) throw notFound("Dossier", receiptCode);
        return { created: false, view: await history.view(found.dossier, found.events) };
      }

      // A late event is accepted when the whole history, in occurredAt order, stays valid (API.md).
      // Events after the history extend the kept replay; otherwise the history is read and replayed.
      const { procedure, engine, result, events } = await history.replayWith(
        dossier,
        fresh.map((f) => f.event),
        async () => ((await dossiers.getWithEvents(receiptCode))?.events ?? []).map((e) => e.event),
      );
      if (!result.ok) {
        const culprit = parsed.find((p) => p.event.eventId === result.violation.eventId);
        const field = culprit ? `${prefix(culprit.index)}type` : "events";
        throw ruleViolation(result.violation.rule, result.violation.message, [{ field, message: result.violation.message }]);
      }
      // One replay: the projection (as of the last event, so that rebuilds equal live writes),
      // its overdue stretches, and the answer (as of now).
      const projection = projectionOfReplay(dossier, result.replay, engine);
      // What the change sends out (issue #15), written in the same transaction as the events.
      const outbound = await deps.outbound?.prepare({
        kind: "events",
        dossier,
        procedure,
        replay: result.replay,
        state: evaluateDossier(result.replay, engine, projection.clockAsOf ?? now),
        engine,
        events,
        added: fresh.map((f) => f.event),
        previousStatus: dossier.status,
        at: now,
      });
      if (await dossiers.appendEvents(receiptCode, dossier.eventCount, fresh, projection, now, outbound)) {
        history.remember(receiptCode, dossier.eventCount + fresh.length, engine, result.replay, events);
        deps.committed?.();
        // What was just committed, without reading it back: the old record with the new projection.
        const { overdueSpans: _spans, statContributions: _totals, dutyContributions: _dutyTotals, duties: _duties, ...columns } = projection;
        return { created: true, view: { record: { ...dossier, ...columns, updatedAt: now }, procedure, state: evaluateDossier(result.replay, engine, now) } };
      }
      if (attempt >= MAX_WRITE_ATTEMPTS) throw conflict("the dossier is being changed by other requests; retry");
    }
  };
}

/**
 * Rebuilds every dossier projection from its events (scripts/rebuild-projections.ts): after a
 * calendar correction, a code change in the fold, or to prove that the projection is derived.
 */
import type { CalendarService } from "./calendar-service.js";
import type { ProcedureRepository } from "./catalog-ports.js";
import type { DossierRepository } from "./dossier-ports.js";
import { factsOf, projectionOfReplay } from "./dossiers/dossier-history.js";
import { replayDossier } from "../domain/dossier/dossier-fold.js";
import { planMoments } from "../domain/outbound/next-moments.js";
import { vietnamDay } from "../domain/time.js";
import type { OverdueSpan } from "../domain/dossier/overdue-spans.js";

export interface RebuildReport {
  readonly dossiers: number;
  readonly changed: number;
  readonly failed: { receiptCode: string; reason: string }[];
}

export function createProjectionService(deps: { dossiers: DossierRepository; procedures: ProcedureRepository; calendars: CalendarService; now: () => number }) {
  /** Refolds one dossier and replaces its projection if it differs: "changed", "same", or why it failed. With `check`, writes nothing ("changed": it would). */
  async function rebuildOne(code: string, check = false): Promise<"changed" | "same" | "gone" | { reason: string }> {
    const found = await deps.dossiers.getWithEvents(code);
    if (!found) return "gone";
    const { dossier, events } = found;
    const procedure = await deps.procedures.getVersion(dossier.procedureCode, dossier.procedureVersion);
    if (!procedure) return { reason: `procedure ${dossier.procedureCode}@${dossier.procedureVersion} is missing` };
    const engine = await deps.calendars.engineFor(dossier.calendarId);
    const result = replayDossier(factsOf(dossier, procedure), events.map((e) => e.event), engine, engine.rules.workingDayMinutes);
    if (!result.ok) return { reason: result.violation.message };
    const projection = projectionOfReplay(dossier, result.replay, engine);
    // The moments follow the clock (issue #15: re-planned when the calendar moves the deadline).
    if (!check)
      await deps.dossiers.replanMoments(code, (fired) => planMoments({ replay: result.replay, calendar: engine, rescheduledDueAt: dossier.rescheduledDueAt, fired }), deps.now());
    const { overdueSpans: spans, statContributions: _contributions, dutyContributions: _dutyContributions, duties, ...columns } = projection;
    const differs =
      (Object.keys(columns) as (keyof typeof columns)[]).some((k) => columns[k] !== dossier[k]) ||
      JSON.stringify(sortSpans(spans)) !== JSON.stringify(sortSpans(await deps.dossiers.getOverdueSpans(code))) ||
      JSON.stringify(duties) !== JSON.stringify(await deps.dossiers.getDuties(code));
    if (!differs) return "same";
    if (check) return "changed";
    await deps.dossiers.replaceProjection(code, projection);
    return "changed";
  }

  async function rebuildCodes(codes: readonly string[], report: { dossiers: number; changed: number; failed: RebuildReport["failed"] }) {
    for (const code of codes) {
      const outcome = await rebuildOne(code);
      if (outcome === "gone") continue;
      report.dossiers++;
      if (outcome === "changed") report.changed++;
      else if (outcome !== "same") report.failed.push({ receiptCode: code, reason: outcome.reason });
    }
  }

  return {
    /** Whether the stored projections of these dossiers are what their events fold to now (nothing written): the codes that differ or fail. */
    async verify(codes: readonly string[]): Promise<{ checked: number; differing: string[]; failed: RebuildReport["failed"] }> {
      const result = { checked: 0, differing: [] as string[], failed: [] as RebuildReport["failed"] };
      for (const code of codes) {
        const outcome = await rebuildOne(code, true);
        if (outcome === "gone") continue;
        result.checked++;
        if (outcome === "changed") result.differing.push(code);
        else if (outcome !== "same") result.failed.push({ receiptCode: code, reason: outcome.reason });
      }
      return result;
    },

    async rebuildAll(options: { pageSize?: number; onProgress?: (done: number) => void } = {}): Promise<RebuildReport> {
      const pageSize = options.pageSize ?? 1000;
      const report = { dossiers: 0, changed: 0, failed: [] as RebuildReport["failed"] };
      for (let afterId = 0; ; ) {
        const page = await deps.dossiers.listCodes(afterId, pageSize);
        if (page.lastId === null) break;
        afterId = page.lastId;
        await rebuildCodes(page.codes, report);
        options.onProgress?.(report.dossiers);
      }
      return report;
    },

    /**
     * After a calendar changed from local date `from` on (a published year, a day set or removed;
     * no `from`: its hours, so all of it): the dossiers counted on it whose clock can reach that
     * date follow the new calendar (DOMAIN.md §4: the running dueAt follows it, originalDueAt stays
     * as printed), in listings and statistics as in their detail. In the request: a calendar
     * changes a few times a year, and the dossiers it reaches are mostly the open ones.
     */
    async refreshCalendar(calendarId: string, from?: string): Promise<RebuildReport> {
      const report = { dossiers: 0, changed: 0, failed: [] as RebuildReport["failed"] };
      // A day early: the calendar's own zone may be behind Vietnam's.
      const since = from === undefined ? null : (vietnamDay(from)?.start ?? 0) - 86_400_000;
      await rebuildCodes(await deps.dossiers.listCodesReaching(calendarId, since), report);
      return report;
    },
  };
}

/** Stretches in one order (basis, then start) so that equal sets compare equal. */
function sortSpans(spans: readonly OverdueSpan[]): OverdueSpan[] {
  return [...spans].sort((a, b) => (a.basis === b.basis ? a.from - b.from : a.basis < b.basis ? -1 : 1));
}

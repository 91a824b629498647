/**
 * Rebuilds every dossier projection from its events (scripts/rebuild-projections.ts): after a
 * calendar correction, a code change in the fold, or to prove that the projection is derived.
 */
import type { CalendarService } from "./calendar-service.js";
import type { ProcedureRepository } from "./catalog-ports.js";
import type { DossierRepository } from "./dossier-ports.js";
import { asOfInstant, factsOf, projectionOf } from "./dossier-service.js";
import { foldDossier } from "../domain/dossier/dossier-fold.js";
import { overdueSpans, type OverdueSpan } from "../domain/dossier/overdue-spans.js";

export interface RebuildReport {
  readonly dossiers: number;
  readonly changed: number;
  readonly failed: { receiptCode: string; reason: string }[];
}

export function createProjectionService(deps: { dossiers: DossierRepository; procedures: ProcedureRepository; calendars: CalendarService }) {
  return {
    async rebuildAll(options: { pageSize?: number; onProgress?: (done: number) => void } = {}): Promise<RebuildReport> {
      const pageSize = options.pageSize ?? 1000;
      let afterId = 0;
      let count = 0;
      let changed = 0;
      const failed: RebuildReport["failed"] = [];
      for (;;) {
        const page = await deps.dossiers.listCodes(afterId, pageSize);
        if (page.lastId === null) break;
        afterId = page.lastId;
        for (const code of page.codes) {
          const found = await deps.dossiers.getWithEvents(code);
          if (!found) continue;
          const { dossier, events } = found;
          const procedure = await deps.procedures.getVersion(dossier.procedureCode, dossier.procedureVersion);
          if (!procedure) {
            failed.push({ receiptCode: code, reason: `procedure ${dossier.procedureCode}@${dossier.procedureVersion} is missing` });
            continue;
          }
          const engine = await deps.calendars.engineFor(dossier.calendarId);
          const history = events.map((e) => e.event);
          const facts = factsOf(dossier, procedure);
          const result = foldDossier(
            facts,
            history,
            engine,
            asOfInstant(dossier.receivedAt, history),
            engine.rules.workingDayMinutes,
          );
          count++;
          if (!result.ok) {
            failed.push({ receiptCode: code, reason: result.violation.message });
            continue;
          }
          const projection = projectionOf(dossier, result.state, overdueSpans(facts, history, engine, engine.rules.workingDayMinutes));
          const { overdueSpans: spans, statContributions: _contributions, duties, ...columns } = projection;
          const differs =
            (Object.keys(columns) as (keyof typeof columns)[]).some((k) => columns[k] !== dossier[k]) ||
            JSON.stringify(sortSpans(spans)) !== JSON.stringify(sortSpans(await deps.dossiers.getOverdueSpans(code))) ||
            JSON.stringify(duties) !== JSON.stringify(await deps.dossiers.getDuties(code));
          if (differs) {
            changed++;
            await deps.dossiers.replaceProjection(code, projection);
          }
        }
        options.onProgress?.(count);
      }
      return { dossiers: count, changed, failed };
    },
  };
}

/** Stretches in one order (basis, then start) so that equal sets compare equal. */
function sortSpans(spans: readonly OverdueSpan[]): OverdueSpan[] {
  return [...spans].sort((a, b) => (a.basis === b.basis ? a.from - b.from : a.basis < b.basis ? -1 : 1));
}

/** Use cases of agencies: a tree (parentCode), each agency pointing to a working calendar. */
import { notFound, ruleViolation } from "../domain/errors.js";
import { formatInstant } from "../domain/time.js";
import type { AgencyRepository, CalendarRepository } from "./catalog-ports.js";
import { VN_CALENDAR_ID } from "../domain/calendar/calendar-defaults.js";

export interface AgencyInput {
  readonly name: string;
  readonly parentCode?: string | null;
  readonly calendarId?: string;
  /** Printed before the date on the agency's forms, e.g. "Hà Tĩnh" (Decree 30/2020/NĐ-CP, Annex I: "địa danh"). */
  readonly place?: string | null;
}

/** Guards against a corrupted tree making a walk endless; real trees are a handful of levels deep. */
const MAX_TREE_DEPTH = 64;

export function createAgencyService(deps: { agencies: AgencyRepository; calendars: CalendarRepository; now: () => number }) {
  const { agencies, calendars } = deps;

  async function requireAgency(code: string) {
    const agency = await agencies.get(code);
    if (!agency) throw notFound("Agency", code);
    return agency;
  }

  return {
    list: () => agencies.list(),
    get: requireAgency,

    async put(code: string, input: AgencyInput) {
      const calendarId = input.calendarId ?? VN_CALENDAR_ID;
      const parentCode = input.parentCode ?? null;
      if (!(await calendars.get(calendarId))) {
        throw notFound("Calendar", calendarId, [{ field: "calendarId", message: "unknown calendar" }]);
      }
      if (parentCode !== null) {
        if (!(await agencies.get(parentCode))) {
          throw notFound("Agency", parentCode, [{ field: "parentCode", message: "unknown agency" }]);
        }
        // The agency tree must stay a tree: the new parent may not be the agency or one of its descendants.
        let cursor: string | null = parentCode;
        for (let depth = 0; cursor !== null && depth < MAX_TREE_DEPTH; depth++) {
          if (cursor === code)
            throw ruleViolation("agency_cycle", `making "${parentCode}" the parent of "${code}" would create a cycle`, [
              { field: "parentCode", message: "would create a cycle in the agency tree" },
            ]);
          cursor = (await agencies.get(cursor))?.parentCode ?? null;
        }
      }
      const place = input.place?.normalize("NFC").trim() || null;
      return agencies.put({ code, name: input.name, parentCode, calendarId, place }, formatInstant(deps.now()));
    },
  };
}
export type AgencyService = ReturnType<typeof createAgencyService>;

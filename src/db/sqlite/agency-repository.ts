import { asc, eq, sql } from "drizzle-orm";
import type { AgencyRecord, AgencyRepository } from "../../services/catalog-ports.js";
import { agencies } from "./schema.js";
import type { SqliteDb } from "./sqlite-client.js";

export function createSqliteAgencyRepository(db: SqliteDb): AgencyRepository {
  const selectByCode = db.select().from(agencies).where(eq(agencies.code, sql.placeholder("code"))).prepare();
  const byCode = (code: string): AgencyRecord | undefined => selectByCode.get({ code });
  return {
    async list() {
      return db.select().from(agencies).orderBy(asc(agencies.code)).all();
    },
    async get(code) {
      return byCode(code);
    },
    async put(agency, at) {
      return db.transaction(() => {
        const existing = byCode(agency.code);
        if (existing) {
          db.update(agencies)
            .set({ name: agency.name, parentCode: agency.parentCode, calendarId: agency.calendarId, place: agency.place, updatedAt: at })
            .where(eq(agencies.code, agency.code))
            .run();
        } else {
          db.insert(agencies).values({ ...agency, createdAt: at, updatedAt: at }).run();
        }
        return { created: !existing, agency: byCode(agency.code)! };
      });
    },
  };
}

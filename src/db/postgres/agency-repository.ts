/** Agencies on PostgreSQL (contract: src/services/catalog-ports.ts; the same rules as src/db/sqlite/agency-repository.ts). */
import { asc, eq } from "drizzle-orm";
import type { AgencyRepository } from "../../services/catalog-ports.js";
import { agencies } from "./schema.js";
import type { PgDb } from "./pg-client.js";
import { bytewise } from "./text-order.js";

export function createPostgresAgencyRepository(db: PgDb): AgencyRepository {
  return {
    async list() {
      return db.select().from(agencies).orderBy(asc(bytewise(agencies.code)));
    },
    async get(code) {
      const [row] = await db.select().from(agencies).where(eq(agencies.code, code));
      return row;
    },
    async put(agency, at) {
      return db.transaction(async (tx) => {
        // Insert, or else update: two racing first puts give one "created" and one update, not a key violation.
        const [inserted] = await tx
          .insert(agencies)
          .values({ ...agency, createdAt: at, updatedAt: at })
          .onConflictDoNothing()
          .returning();
        if (inserted) return { created: true, agency: inserted };
        const [updated] = await tx
          .update(agencies)
          .set({ name: agency.name, parentCode: agency.parentCode, calendarId: agency.calendarId, place: agency.place, updatedAt: at })
          .where(eq(agencies.code, agency.code))
          .returning();
        return { created: false, agency: updated! };
      });
    },
  };
}

/** Procedures on PostgreSQL (contract: src/services/catalog-ports.ts; the same rules as src/db/sqlite/procedure-repository.ts). */
import { and, asc, desc, eq } from "drizzle-orm";
import type { ProcedureDefinition } from "../../domain/procedure/procedure-types.js";
import type { ProcedureRepository } from "../../services/catalog-ports.js";
import { procedureVersionRow, toProcedureVersion } from "../rows/procedure-version.js";
import { procedures, procedureVersions } from "./schema.js";
import type { PgDb } from "./pg-client.js";
import { bytewise } from "./text-order.js";

export function createPostgresProcedureRepository(db: PgDb): ProcedureRepository {
  const versionRow = async (code: string, version: number) =>
    (await db.select().from(procedureVersions).where(and(eq(procedureVersions.procedureCode, code), eq(procedureVersions.version, version))))[0];

  return {
    async list() {
      const rows = await db
        .select({ v: procedureVersions })
        .from(procedures)
        .innerJoin(procedureVersions, and(eq(procedureVersions.procedureCode, procedures.code), eq(procedureVersions.version, procedures.currentVersion)))
        .orderBy(asc(bytewise(procedures.code)));
      return rows.map((r) => toProcedureVersion(r.v));
    },
    async get(code) {
      // One statement: a version added between two reads cannot pair one version's number with another's row.
      const [row] = await db
        .select({ v: procedureVersions })
        .from(procedures)
        .innerJoin(procedureVersions, and(eq(procedureVersions.procedureCode, procedures.code), eq(procedureVersions.version, procedures.currentVersion)))
        .where(eq(procedures.code, code));
      return row && toProcedureVersion(row.v);
    },
    async getVersion(code, version) {
      const row = await versionRow(code, version);
      return row && toProcedureVersion(row);
    },
    async listVersions(code) {
      const rows = await db.select().from(procedureVersions).where(eq(procedureVersions.procedureCode, code)).orderBy(desc(procedureVersions.version));
      return rows.map(toProcedureVersion);
    },
    async addVersion(code, expectedCurrent, definition: ProcedureDefinition, at) {
      const version = expectedCurrent + 1;
      return db.transaction(async (tx) => {
        // Optimistic, as a conditional write (transactions.ts): of two writers expecting the same
        // current version, the second waits for the first to commit, then finds the condition false
        // (the update matches no row, or the insert meets the first's key) and writes nothing.
        const moved =
          expectedCurrent === 0
            ? await tx.insert(procedures).values({ code, currentVersion: version, createdAt: at, updatedAt: at }).onConflictDoNothing().returning({ code: procedures.code })
            : await tx
                .update(procedures)
                .set({ currentVersion: version, updatedAt: at })
                .where(and(eq(procedures.code, code), eq(procedures.currentVersion, expectedCurrent)))
                .returning({ code: procedures.code });
        if (moved.length === 0) return undefined;
        const [stored] = await tx.insert(procedureVersions).values(procedureVersionRow(code, version, definition, at)).returning();
        return toProcedureVersion(stored!);
      });
    },
  };
}

import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { ProcedureDefinition } from "../../domain/procedure/procedure-types.js";
import type { ProcedureRepository } from "../../services/catalog-ports.js";
import { procedures, procedureVersions } from "./schema.js";
import { procedureVersionRow, toProcedureVersion } from "../rows/procedure-version.js";
import type { SqliteDb } from "./sqlite-client.js";

export function createSqliteProcedureRepository(db: SqliteDb): ProcedureRepository {
  const selectVersion = db
    .select()
    .from(procedureVersions)
    .where(and(eq(procedureVersions.procedureCode, sql.placeholder("code")), eq(procedureVersions.version, sql.placeholder("version"))))
    .prepare();
  const selectCurrent = db.select().from(procedures).where(eq(procedures.code, sql.placeholder("code"))).prepare();
  const versionRow = (code: string, version: number) => selectVersion.get({ code, version });

  return {
    async list() {
      return db
        .select({ v: procedureVersions })
        .from(procedures)
        .innerJoin(
          procedureVersions,
          and(eq(procedureVersions.procedureCode, procedures.code), eq(procedureVersions.version, procedures.currentVersion)),
        )
        .orderBy(asc(procedures.code))
        .all()
        .map((r) => toProcedureVersion(r.v));
    },
    async get(code) {
      const current = selectCurrent.get({ code });
      if (!current) return undefined;
      const row = versionRow(code, current.currentVersion);
      return row && toProcedureVersion(row);
    },
    async getVersion(code, version) {
      const row = versionRow(code, version);
      return row && toProcedureVersion(row);
    },
    async listVersions(code) {
      return db
        .select()
        .from(procedureVersions)
        .where(eq(procedureVersions.procedureCode, code))
        .orderBy(desc(procedureVersions.version))
        .all()
        .map(toProcedureVersion);
    },
    async addVersion(code, expectedCurrent, definition: ProcedureDefinition, at) {
      return db.transaction(() => {
        const current = db.select().from(procedures).where(eq(procedures.code, code)).get();
        if ((current?.currentVersion ?? 0) !== expectedCurrent) return undefined;
        const version = expectedCurrent + 1;
        if (current) db.update(procedures).set({ currentVersion: version, updatedAt: at }).where(eq(procedures.code, code)).run();
        else db.insert(procedures).values({ code, currentVersion: version, createdAt: at, updatedAt: at }).run();
        db.insert(procedureVersions).values(procedureVersionRow(code, version, definition, at)).run();
        return toProcedureVersion(versionRow(code, version)!);
      });
    },
  };
}

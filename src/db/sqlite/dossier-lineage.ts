import type Database from "better-sqlite3";

/** Deeper than any real administration; a cycle cannot loop forever. */
const MAX_TREE_DEPTH = 64;

export interface DossierScope {
  readonly receiptCode: string;
  readonly procedureCode: string;
  readonly status: string;
  readonly handlingAgencyCode: string;
  readonly currentAgencyCode: string;
  /** For each agency the dossier involves (receiving, handling, current): the agency and its ancestors. */
  readonly lineages: readonly (readonly string[])[];
}

/**
 * A dossier's agencies and their ancestors, read synchronously: the moment scheduler fires inside
 * a transaction (better-sqlite3) and must know which webhook subscriptions cover the dossier.
 */
export function createDossierScopeReader(sqlite: Database.Database): (receiptCode: string) => DossierScope | undefined {
  const dossier = sqlite.prepare(
    "select receipt_code, procedure_code, status, receiving_agency_code, handling_agency_code, current_agency_code from dossiers where receipt_code = ?",
  );
  const parent = sqlite.prepare("select parent_code from agencies where code = ?").pluck();
  const lineage = (code: string): string[] => {
    const chain: string[] = [];
    let cursor: string | null = code;
    while (cursor !== null && chain.length < MAX_TREE_DEPTH) {
      chain.push(cursor);
      cursor = (parent.get(cursor) as string | null | undefined) ?? null;
    }
    return chain;
  };
  return (receiptCode) => {
    const row = dossier.get(receiptCode) as
      | { receipt_code: string; procedure_code: string; status: string; receiving_agency_code: string; handling_agency_code: string; current_agency_code: string }
      | undefined;
    if (!row) return undefined;
    const codes = [...new Set([row.receiving_agency_code, row.handling_agency_code, row.current_agency_code])];
    return {
      receiptCode: row.receipt_code,
      procedureCode: row.procedure_code,
      status: row.status,
      handlingAgencyCode: row.handling_agency_code,
      currentAgencyCode: row.current_agency_code,
      lineages: codes.map(lineage),
    };
  };
}

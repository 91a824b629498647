import { eq, sql } from "drizzle-orm";
import type { ApologyLetter } from "../../domain/dossier/apology-letter.js";
import type { ApologyLetterRepository, NewApologyLetter } from "../../services/apology-letter-ports.js";
import { apologyLetters } from "./schema.js";
import type { SqliteDb } from "./sqlite-client.js";

type Row = typeof apologyLetters.$inferSelect;
const toLetter = (row: Row): ApologyLetter => row;

import type { GroupCommit } from "./group-commit.js";
import { writeOutbound, type OutboundStores } from "./outbound-writes.js";
export function createSqliteApologyLetterRepository(
  db: SqliteDb,
  group: GroupCommit,
  stores?: OutboundStores,
): ApologyLetterRepository {
  const sqlite = db.$client;
  const selectFor = db.select().from(apologyLetters).where(eq(apologyLetters.receiptCode, sql.placeholder("code"))).prepare();
  const exists = sqlite.prepare("select 1 from apology_letters where receipt_code = ?").pluck();
  // Numbers per agency and year: the next after the highest, inside the writing transaction
  // (SQLite has one writer at a time, so two letters cannot take the same number).
  const nextNumber = sqlite.prepare("select coalesce(max(number), 0) + 1 from apology_letters where agency_code = ? and year = ?").pluck();
  const insert = sqlite.prepare(
    `insert into apology_letters (receipt_code, agency_code, year, number, reason, issued_at, original_due_at, new_due_at, issued_in_time,
       place, signer_name, signer_title, recipients, recorded_by, recorded_at)
     values (@receiptCode, @agencyCode, @year, @number, @reason, @issuedAt, @originalDueAt, @newDueAt, @issuedInTime,
       @place, @signerName, @signerTitle, @recipients, @recordedBy, @recordedAt)`,
  );
  const reschedule = sqlite.prepare("update dossiers set rescheduled_due_at = ?, updated_at = ? where receipt_code = ? and event_count = ?");

  const issue = sqlite.transaction((letter: NewApologyLetter, expectedEventCount: number, at: number): ApologyLetter | "exists" | "stale" => {
    if (exists.get(letter.receiptCode) !== undefined) return "exists";
    if (reschedule.run(letter.newDueAt, at, letter.receiptCode, expectedEventCount).changes !== 1) return "stale";
    const number = nextNumber.get(letter.agencyCode, letter.year) as number;
    insert.run({ ...letter, number, issuedInTime: Number(letter.issuedInTime), recipients: JSON.stringify(letter.recipients), recordedAt: at });
    return { ...letter, number, recordedAt: at };
  });

  return {
    async issue(letter, expectedEventCount, at, of) {
      // better-sqlite3 nests its transaction as a savepoint inside the group's.
      return group.run(() => {
        const issued = issue(letter, expectedEventCount, at);
        if (typeof issued === "object") writeOutbound(stores, letter.receiptCode, of, at);
        return issued;
      });
    },
    async listFor(receiptCode) {
      return selectFor.all({ code: receiptCode }).map(toLetter);
    },
  };
}

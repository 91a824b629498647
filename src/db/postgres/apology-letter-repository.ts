/**
 * Apology letters on PostgreSQL (issue #16), as src/db/sqlite/apology-letter-repository.ts: the
 * letter, its number and the dossier's rescheduled due date in one transaction, only if the
 * dossier still has the events the rules were checked against.
 * Numbers run per issuing agency and year (DOMAIN.md §5). SQLite has one writer, so "the highest
 * plus one" is safe there; here two instances may issue letters of one agency at once, so the
 * transaction first takes an advisory lock on (agency, year): the second waits for the first to
 * commit and then reads its number. The lock is the transaction's own and ends with it.
 */
import { eq, and, sql } from "drizzle-orm";
import type { ApologyLetter } from "../../domain/dossier/apology-letter.js";
import type { ApologyLetterRepository } from "../../services/apology-letter-ports.js";
import { writeOutbound } from "./outbound-writes.js";
import type { PgDb } from "./pg-client.js";
import { apologyLetters, dossiers } from "./schema.js";
import { guardedWrite } from "./transactions.js";

export function createPostgresApologyLetterRepository(db: PgDb): ApologyLetterRepository {
  return {
    async issue(letter, expectedEventCount, at, of) {
      return guardedWrite(
        db,
        async (tx): Promise<ApologyLetter | "exists" | "stale"> => {
          // Lock the dossier row first: a concurrent letter (or event) for it waits here, then sees what committed.
          const [locked] = await tx
            .select({ eventCount: dossiers.eventCount })
            .from(dossiers)
            .where(eq(dossiers.receiptCode, letter.receiptCode))
            .for("update");
          const existing = await tx.select({ code: apologyLetters.receiptCode }).from(apologyLetters).where(eq(apologyLetters.receiptCode, letter.receiptCode));
          if (existing.length > 0) return "exists";
          if (locked === undefined || locked.eventCount !== expectedEventCount) return "stale";
          await tx.update(dossiers).set({ rescheduledDueAt: letter.newDueAt, updatedAt: at }).where(eq(dossiers.receiptCode, letter.receiptCode));
          await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`apology_letter:${letter.agencyCode}:${letter.year}`}))`);
          const [next] = await tx
            .select({ number: sql<number>`coalesce(max(${apologyLetters.number}), 0) + 1` })
            .from(apologyLetters)
            .where(and(eq(apologyLetters.agencyCode, letter.agencyCode), eq(apologyLetters.year, letter.year)));
          const issued: ApologyLetter = { ...letter, number: next!.number, recordedAt: at };
          await tx.insert(apologyLetters).values({ ...issued, recipients: [...issued.recipients] });
          await writeOutbound(tx, letter.receiptCode, of, at);
          return issued;
        },
        (issued) => typeof issued === "object",
      );
    },
    async listFor(receiptCode) {
      return db.select().from(apologyLetters).where(eq(apologyLetters.receiptCode, receiptCode));
    },
  };
}

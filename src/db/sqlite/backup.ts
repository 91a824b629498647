import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export interface BackupResult {
  readonly pages: number;
  /** PRAGMA integrity_check on the copy: "ok", or the problems found. */
  readonly integrity: string;
  /** Where the copy is: the target when it is sound, `<target>.damaged` when it is not. */
  readonly file: string;
}

/**
 * Online backup with SQLite's backup API (through better-sqlite3): consistent while another
 * connection or process writes, then `PRAGMA integrity_check` on the copy — the full check, not
 * the quick_check the server runs at start: a backup is where one learns of damage without a
 * deadline, and integrity_check also catches indexes that disagree with their tables. Refuses to
 * overwrite an existing file.
 * The backup API copies pages as they are, so a damaged source gives a damaged copy: that copy is
 * moved to `<target>.damaged` (kept for whoever investigates), so that nothing at the target's name
 * can be restored by mistake (issue #11).
 */
export async function backupDatabase(source: string, target: string): Promise<BackupResult> {
  if (!fs.existsSync(source)) throw new Error(`no database at ${source}`);
  if (fs.existsSync(target)) throw new Error(`${target} exists already; choose a new file`);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  try {
    const { totalPages } = await db.backup(target);
    const integrity = integrityOf(target);
    if (integrity === "ok") return { pages: totalPages, integrity, file: target };
    const damaged = `${target}.damaged`;
    fs.renameSync(target, damaged);
    return { pages: totalPages, integrity, file: damaged };
  } finally {
    db.close();
  }
}

/** integrity_check's verdict; a copy too damaged to run it (a broken first page) says why. */
function integrityOf(file: string): string {
  let copy: Database.Database | undefined;
  try {
    copy = new Database(file, { readonly: true });
    return (copy.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
  } catch (error) {
    if (error instanceof Database.SqliteError) return error.message;
    throw error;
  } finally {
    copy?.close();
  }
}

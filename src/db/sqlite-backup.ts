import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * Online backup with SQLite's backup API (through better-sqlite3): consistent while another
 * connection or process writes, then `PRAGMA integrity_check` on the copy. Refuses to overwrite
 * an existing file.
 */
export async function backupDatabase(source: string, target: string): Promise<{ pages: number; integrity: string }> {
  if (!fs.existsSync(source)) throw new Error(`no database at ${source}`);
  if (fs.existsSync(target)) throw new Error(`${target} exists already; choose a new file`);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  try {
    const { totalPages } = await db.backup(target);
    const copy = new Database(target, { readonly: true });
    try {
      const integrity = (copy.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
      return { pages: totalPages, integrity };
    } finally {
      copy.close();
    }
  } finally {
    db.close();
  }
}

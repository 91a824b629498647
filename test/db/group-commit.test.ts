/**
 * Group commit on a real SQLite file (issue #12): the writes of one event-loop turn share one
 * transaction; each fails alone under its savepoint; none is acknowledged before its commit.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGroupCommit, type GroupCommit } from "../../src/db/sqlite/group-commit.js";

let dir: string;
let file: string;
let sqlite: Database.Database;
let group: GroupCommit;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-group-"));
  file = path.join(dir, "group.db");
  sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.exec(`
    create table parents (id integer primary key);
    create table items (id integer primary key, name text not null unique,
      parent integer references parents (id) deferrable initially deferred);
    insert into parents (id) values (1);
  `);
  group = createGroupCommit(sqlite);
});

afterEach(() => {
  sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const insert = (name: string, parent: number | null = 1) => () => sqlite.prepare("insert into items (name, parent) values (?, ?)").run(name, parent).lastInsertRowid;
const names = (db: Database.Database = sqlite) => (db.prepare("select name from items order by id").all() as { name: string }[]).map((r) => r.name);

describe("group commit", () => {
  it("commits the writes of one turn in one transaction, each answered with its own result", async () => {
    const results = await Promise.all(["a", "b", "c", "d"].map((n) => group.run(insert(n))));
    expect(results).toEqual([1, 2, 3, 4]);
    expect(group.stats).toEqual({ groups: 1, writes: 4 });
    expect(names()).toEqual(["a", "b", "c", "d"]);
  });

  it("fails only the write whose statement fails; its neighbours commit", async () => {
    const outcomes = await Promise.allSettled([group.run(insert("a")), group.run(insert("a")), group.run(insert("b"))]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(names()).toEqual(["a", "b"]);
  });

  it("rolls back a failed write's every statement, not only its last", async () => {
    const partial = () => {
      insert("first-half")();
      insert("a")();
      throw new Error("the write gives up halfway");
    };
    const outcomes = await Promise.allSettled([group.run(insert("a")), group.run(partial), group.run(insert("c"))]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(names()).toEqual(["a", "c"]);
  });

  it("acknowledges nothing before the commit: another connection sees a write only once its promise resolves", async () => {
    const other = new Database(file, { readonly: true });
    try {
      let seenInside: string[] | undefined;
      const done = group.run(() => {
        insert("a")();
        seenInside = names(other);
      });
      expect(names(other)).toEqual([]); // queued, not yet run
      await done;
      expect(seenInside).toEqual([]); // ran, but not committed while it ran
      expect(names(other)).toEqual(["a"]);
    } finally {
      other.close();
    }
  });

  it("fails every write of the group when the commit itself fails, and keeps none of them", async () => {
    // A deferred foreign key is checked at COMMIT: the group's commit fails as a full disk would.
    const outcomes = await Promise.allSettled([group.run(insert("a")), group.run(insert("orphan", 99)), group.run(insert("b"))]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(sqlite.inTransaction).toBe(false);
    expect(names()).toEqual([]);
    // The next group is unaffected.
    await group.run(insert("c"));
    expect(names()).toEqual(["c"]);
  });

  it("answers a write queued on a closed database with the storage's error, never a crash", async () => {
    const pending = group.run(insert("a"));
    sqlite.close();
    await expect(pending).rejects.toThrow(/not open/);
    sqlite = new Database(file); // for afterEach
  });
});

/**
 * Text in SQLite's order. SQLite compares text with memcmp (the BINARY collation,
 * https://sqlite.org/datatype3.html#collation); PostgreSQL with the database's collation, which on
 * a server initialised as en_US.UTF-8 ignores case and punctuation at first ("B" after "a",
 * "G.1" beside "G1"). The "C" collation compares bytes, which for UTF-8 is code-point order:
 * SQLite's order, so listings come out the same on both (issue #16: "run unchanged").
 */
import { sql, type AnyColumn, type SQL } from "drizzle-orm";

export const bytewise = (column: AnyColumn): SQL => sql`${column} collate "C"`;

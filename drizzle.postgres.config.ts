import { defineConfig } from "drizzle-kit";

/** PostgreSQL migrations (issue #16): `npm run db:generate:postgres` after changing src/db/postgres/schema.ts. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/postgres/schema.ts",
  out: "./migrations/postgres",
});

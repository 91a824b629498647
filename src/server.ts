/**
 * The process: config -> database, repositories and use cases (composition.ts) -> buildApp ->
 * listen; SIGTERM/SIGINT close gracefully.
 */
import { loadConfig, ConfigError } from "./config.js";
import { composeService } from "./composition.js";
import { buildApp } from "./http/app.js";
import { DatabaseDamagedError } from "./db/sqlite/sqlite-client.js";
import { redactedUrl } from "./db/postgres/pg-client.js";
import { isPostgresFailure } from "./db/postgres/transactions.js";

async function main(): Promise<void> {
  const config = loadConfig();
  const { useCases, storage } = await composeService({
    dbFile: config.dbFile,
    databaseUrl: config.databaseUrl,
    databasePool: config.databasePool,
    adminKey: config.adminKey,
    portal: config.portal,
    webhookAllowPrivate: config.webhookAllowPrivate,
  });
  const app = await buildApp({ config, useCases, storage });

  const bootstrapKey = await app.services.apiKeys.bootstrapAdminKey();
  if (bootstrapKey !== undefined) {
    // Printed once, to the operator's terminal only (not through the JSON log): only its hash is stored.
    process.stderr.write(
      `\n  WARNING: no MOTCUA_ADMIN_KEY is set and no API key exists, so an admin key was generated.\n` +
        `  It is shown ONCE and stored only as a hash. Keep it secret:\n\n    ${bootstrapKey}\n\n`,
    );
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down");
    // Stop accepting connections, finish in-flight requests, then close the database.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, "error while closing");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));

  await app.listen({ port: config.port, host: config.host });
}

main().catch((error: unknown) => {
  // Errors an operator must act on are printed as sentences, not stack traces.
  if (error instanceof ConfigError || error instanceof DatabaseDamagedError) process.stderr.write(`${error.message}\n`);
  else if (process.env.MOTCUA_DATABASE_URL && isPostgresFailure(error))
    process.stderr.write(
      `motcua cannot reach its PostgreSQL database at ${redactedUrl(process.env.MOTCUA_DATABASE_URL)}: ${error instanceof Error ? error.message : String(error)}\n` +
        `  Check that the server runs and accepts this user, or unset MOTCUA_DATABASE_URL to use the embedded SQLite file.\n`,
    );
  else process.stderr.write(`motcua failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

// `refgraph postgres`: the embedded PostgreSQL alone, in the foreground, so several gateway
// processes on this machine can share one database by URL. Same DATA_DIR as `serve`, a stable port
// (POSTGRES_PORT), migrated and seeded as `serve` does it; then one line `DATABASE_URL=...` on
// standard output, and it runs until SIGTERM or SIGINT, which stops PostgreSQL.
import type { Config } from '../config.js';
import { createPrismaClient } from '../db/client.js';
import { EMBEDDED_DATABASE_NAME, migrateDatabase } from '../db/connect.js';
import { databaseUrl, startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { ensureDatabase } from '../db/ensure-database.js';
import { loadStarterData } from '../db/starter-data.js';
import { LoadAborted } from '../ingest/errors.js';
import { seedOfficialData } from '../ingest/seed-official.js';
import type { Logger } from '../logger.js';

export interface PostgresOptions {
  /** Where the `DATABASE_URL=...` line goes (standard output). */
  write?: (line: string) => void;
}

/** Runs until `stop` is aborted; resolves once PostgreSQL (if this command started it) has stopped. */
export async function runPostgres(
  config: Config,
  logger: Logger,
  stop: AbortSignal,
  { write = (line) => process.stdout.write(line) }: PostgresOptions = {},
): Promise<void> {
  if (config.databaseUrl) {
    throw new Error(
      '`refgraph postgres` runs the embedded PostgreSQL of DATA_DIR; unset DATABASE_URL (the gateways are the ones that get it)',
    );
  }
  const server = await startEmbeddedPostgres({ dataDir: config.dataDir, persistent: true, port: config.postgresPort });
  // Nothing else keeps the event loop alive while PostgreSQL runs in its own session.
  const keepAlive = setInterval(() => {}, 60_000);
  const stopped = new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    else stop.addEventListener('abort', () => resolve(), { once: true });
  }).finally(() => clearInterval(keepAlive));
  try {
    const port = Number(new URL(server.serverUrl).port);
    if (!server.owned) {
      logger.warn(
        { dataDir: config.dataDir, port },
        'PostgreSQL already runs on DATA_DIR (another refgraph started it): reusing it, and leaving it up on exit',
      );
    } else {
      logger.info({ dataDir: config.dataDir, port }, 'embedded PostgreSQL started');
    }
    await ensureDatabase(server.serverUrl, EMBEDDED_DATABASE_NAME);
    const url = databaseUrl(server.serverUrl, EMBEDDED_DATABASE_NAME);
    await migrateDatabase(url, logger);
    const client = createPrismaClient(url);
    try {
      if (await loadStarterData(client)) logger.info('starter data loaded (A9597, five payers, TC and 26 modifiers)');
    } finally {
      await client.$disconnect();
    }
    if (config.seedOfficialData && !stop.aborted) {
      try {
        const outcome = await seedOfficialData(url, { signal: stop });
        if (outcome.loaded.length > 0)
          logger.info({ loaded: outcome.loaded.map((s) => `${s.system} ${s.release}`) }, 'official data loaded');
      } catch (error) {
        if (!(error instanceof LoadAborted)) throw error;
        logger.info({ signal: stop.reason }, 'official data load stopped and rolled back');
      }
    }
    if (!stop.aborted) {
      // On a line of its own, so a script can take it: `eval "$(refgraph postgres | grep ^DATABASE_URL=)"` or read it
      // line by line.
      write(`DATABASE_URL=${url}\n`);
      logger.info({ port }, 'PostgreSQL is ready for gateways (DATABASE_URL above); SIGTERM stops it');
    }
    await stopped;
  } finally {
    clearInterval(keepAlive);
    if (server.owned) {
      await server.stop();
      logger.info('embedded PostgreSQL stopped');
    }
  }
}

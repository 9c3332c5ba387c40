// Resolves where the database is (DATABASE_URL, or the embedded server in DATA_DIR), makes sure
// it exists and is migrated, and returns a URL plus how to let go of it.
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { databaseUrl, startEmbeddedPostgres } from './embedded-postgres.js';
import { ensureDatabase } from './ensure-database.js';
import { migrate } from './migrator.js';

export const EMBEDDED_DATABASE_NAME = 'refgraph';

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: false, close: async () => {} };
  }
  const started = Date.now();
  const server = await startEmbeddedPostgres({ dataDir: config.dataDir, persistent: true });
  await ensureDatabase(server.serverUrl, EMBEDDED_DATABASE_NAME);
  logger.info(
    { dataDir: config.dataDir, reused: !server.owned, ms: Date.now() - started },
    server.owned ? 'embedded PostgreSQL started' : 'using the embedded PostgreSQL already running on DATA_DIR',
  );
  return { url: databaseUrl(server.serverUrl, EMBEDDED_DATABASE_NAME), embedded: true, close: () => server.stop() };
}

export async function migrateDatabase(url: string, logger: Logger): Promise<void> {
  const applied = await migrate(url);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
}

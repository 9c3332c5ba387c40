// `refgraph migrate`: apply pending migrations to the configured database.
import type { Config } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrate } from '../db/migrator.js';
import type { Logger } from '../logger.js';

export async function migrateCommand(config: Config, logger: Logger): Promise<string[]> {
  const database = await openDatabase(config, logger);
  try {
    return await migrate(database.url);
  } finally {
    await database.close();
  }
}

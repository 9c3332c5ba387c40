// `refgraph serve`: open the database (embedded or DATABASE_URL), migrate, load the starter data
// once, and serve GraphQL over HTTP.
import { createServer, type Server } from 'node:http';
import type { Config } from '../config.js';
import { createPrismaClient, usePrismaClient } from '../db/client.js';
import { migrateDatabase, openDatabase } from '../db/connect.js';
import { loadStarterData } from '../db/starter-data.js';
import type { Logger } from '../logger.js';
import { createRefgraphYoga } from '../yoga.js';

export interface RunningServer {
  url: string;
  /** Stop accepting requests, let in-flight ones finish, then release the database. */
  close(): Promise<void>;
}

export async function serve(config: Config, logger: Logger): Promise<RunningServer> {
  const started = Date.now();
  const database = await openDatabase(config, logger);
  await migrateDatabase(database.url, logger);
  const client = createPrismaClient(database.url, {
    poolSize: config.databasePoolSize,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  usePrismaClient(client);
  if (await loadStarterData(client)) logger.info('starter data loaded (A9597, five payers, TC and 26 modifiers)');

  const yoga = createRefgraphYoga({ logger, development: config.nodeEnv === 'development' });
  const server: Server = createServer(yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const url = `http://localhost:${config.port}/graphql`;
  logger.info({ url, ms: Date.now() - started, embedded: database.embedded }, `refgraph is serving GraphQL at ${url}`);

  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await client.$disconnect();
      await database.close();
    },
  };
}

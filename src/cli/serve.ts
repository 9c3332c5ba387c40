// `refgraph serve`: open the database (embedded or DATABASE_URL), migrate, load the starter data
// once, and serve GraphQL over HTTP.
import { createServer, type Server } from 'node:http';
import type { Config } from '../config.js';
import { createPrismaClient, usePrismaClient } from '../db/client.js';
import { watchDataVersion } from '../db/data-version.js';
import { migrateDatabase, openDatabase } from '../db/connect.js';
import { loadStarterData } from '../db/starter-data.js';
import type { Logger } from '../logger.js';
import { requestIdFrom, runWithRequestId } from '../observability/request-context.js';
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
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    onPoolError: (error) => logger.warn({ err: error }, 'database connection lost (idle in the pool); a new one is opened when needed'),
  });
  usePrismaClient(client);
  if (await loadStarterData(client)) logger.info('starter data loaded (A9597, five payers, TC and 26 modifiers)');

  // The response cache and the release-in-force memo key on the data version; watching it keeps
  // cache hits free of SQL.
  const dataVersion = await watchDataVersion(database.url, (error) => logger.warn({ err: error }, 'data version watcher: connection problem'));
  const yoga = createRefgraphYoga({ logger, development: config.nodeEnv === 'development', strictQueries: config.nodeEnv !== 'production', responseCache: config.responseCache, requireApiKey: config.requireApiKey, limits: {
    maxBodyBytes: config.maxBodyBytes,
    rateLimitPerMinute: config.rateLimitPerMinute,
    introspection: config.introspection,
    csrfPrevention: config.csrfPrevention,
  } });
  // Each request runs with its id in AsyncLocalStorage, so every log line written for it carries the id.
  const server: Server = createServer((request, response) => {
    const requestId = requestIdFrom(request.headers['x-request-id'] as string | undefined);
    request.headers['x-request-id'] = requestId;
    runWithRequestId(requestId, () => yoga(request, response));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const url = `http://localhost:${config.port}/graphql`;
  logger.info({ url, ms: Date.now() - started, embedded: database.embedded }, `refgraph is serving GraphQL at ${url}`);

  return {
    url,
    close: async () => {
      // Stop accepting; idle keep-alive sockets would hold close() open, so drop them (again as
      // in-flight requests finish); after SHUTDOWN_TIMEOUT_MS cut whatever is left.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await closed;
      clearInterval(idleSweep);
      clearTimeout(deadline);
      await dataVersion.stop();
      await client.$disconnect();
      await database.close();
    },
  };
}

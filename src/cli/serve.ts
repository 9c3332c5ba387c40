// `refgraph serve`: open the database (embedded or DATABASE_URL), migrate, load the starter data
// once, serve GraphQL over HTTP, then load the official files shipped in prisma/seed/official that
// the database lacks (SEED_OFFICIAL_DATA; /ready answers 503 with the progress until they are in),
// until `stop` is signalled (main.ts: SIGTERM or SIGINT). A stop during the seed rolls the running
// load back before the server drains.
import { createServer, type Server } from 'node:http';
import { apiKeyChangeSubscription } from '../auth/api-keys.js';
import { SharedStore } from '../cache/redis-store.js';
import type { Config } from '../config.js';
import { probeAvailability } from '../db/availability.js';
import { createPrismaClient, usePrismaClient, type Db } from '../db/client.js';
import { dataVersionSubscription } from '../db/data-version.js';
import { readDatabaseIdentity } from '../db/identity.js';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../db/connect.js';
import { listen } from '../db/listener.js';
import { startReplicaSet } from '../db/replicas.js';
import { loadStarterData } from '../db/starter-data.js';
import { clientAddressResolver } from '../http/client-address.js';
import { LoadAborted } from '../ingest/errors.js';
import { seedOfficialData, type SeedProgress } from '../ingest/seed-official.js';
import type { Logger } from '../logger.js';
import { requestIdFrom, runWithRequestId } from '../observability/request-context.js';
import { createRefgraphYoga } from '../yoga.js';

export interface RunningServer {
  url: string;
  /** Resolves once the server has stopped: requests drained, connections closed, Postgres stopped if ours. */
  stopped: Promise<void>;
}

/** Thrown when a stop is signalled before the server listens; what was opened is closed again. */
export class StoppedBeforeServing extends Error {
  override name = 'StoppedBeforeServing';
}

/** How long the LISTEN connection stays closed when Postgres refuses new sessions, before retrying. */
const RELEASE_LISTENER_MS = 1_000;

export async function serve(config: Config, logger: Logger, stop: AbortSignal): Promise<RunningServer> {
  const started = Date.now();
  const opened: (() => Promise<void>)[] = [];
  const closeOpened = async () => {
    for (const close of opened.reverse()) await close();
  };
  const checkpoint = async () => {
    if (!stop.aborted) return;
    logger.info({ signal: stop.reason }, 'stopping before serving');
    await closeOpened();
    throw new StoppedBeforeServing(`stopped by ${String(stop.reason)} before serving`);
  };

  const database: DatabaseHandle = await openDatabase(config, logger);
  opened.push(() => database.close());
  await checkpoint();
  await migrateDatabase(database.url, logger);
  await checkpoint();

  const poolOptions = {
    poolSize: config.databasePoolSize,
    statementTimeoutMs: config.statementTimeoutMs,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    onPoolError: (error: Error) =>
      logger.warn({ err: error }, 'database connection lost (idle in the pool); a new one is opened when needed'),
  };
  // Several replicas (README "Running several replicas"): reads on Postgres read replicas, state in Redis.
  const replicas =
    config.databaseReplicaUrls.length > 0
      ? await startReplicaSet(database.url, config.databaseReplicaUrls, poolOptions, logger)
      : undefined;
  if (replicas) opened.push(() => replicas.stop());
  const shared = config.redisUrl
    ? new SharedStore({
        url: config.redisUrl,
        database: await readDatabaseIdentity(database.url),
        timeoutMs: config.redisTimeoutMs,
        logger,
      })
    : undefined;
  if (shared) opened.push(() => shared.stop());
  const connect = (): Db => createPrismaClient(database.url, { ...poolOptions, replicas });
  let client = connect();
  usePrismaClient(client);
  opened.push(() => client.$disconnect());
  if (await loadStarterData(client)) logger.info('starter data loaded (A9597, five payers, TC and 26 modifiers)');
  await checkpoint();

  // One LISTEN connection: the data version (the response cache and the release-in-force memo key
  // on it, so cache hits cost no SQL) and API key changes (a revocation reaches us at once).
  const listener = await listen(database.url, [dataVersionSubscription(), apiKeyChangeSubscription()], (error) =>
    logger.warn({ err: error }, 'database listener: connection problem'),
  );
  opened.push(() => listener.stop());

  // When Postgres refuses new sessions (a smart shutdown waits for ours to end), let go of every
  // connection: the LISTEN one, and the pool (a fresh one replaces it; the old one closes as its
  // in-flight queries finish). /ready is 503 until Postgres accepts sessions again.
  const availability = probeAvailability(database.url, {
    onRefusing: (reason) => {
      logger.warn(
        { reason },
        'PostgreSQL refuses new connections (shutting down or starting up): releasing ours until it accepts again',
      );
      const old = client;
      client = connect();
      usePrismaClient(client);
      void old.$disconnect();
      void listener.release(RELEASE_LISTENER_MS);
    },
    onAccepting: () => logger.info('PostgreSQL accepts connections again'),
  });
  opened.push(async () => availability.stop());

  // Until the seed is in, /ready answers 503 with its progress (GraphQL answers meanwhile from
  // what is committed: the starter data, then each release as its load commits).
  let seedProgress: SeedProgress | undefined = config.seedOfficialData
    ? { state: 'loading', files: 0, filesDone: 0, current: null, seconds: 0 }
    : undefined;

  const yoga = createRefgraphYoga({
    logger,
    development: config.nodeEnv === 'development',
    strictQueries: config.nodeEnv !== 'production',
    responseCache: config.responseCache,
    responseCacheBytes: config.responseCacheMb * 1024 * 1024,
    entityCache: config.entityCache,
    entityCacheBytes: config.entityCacheMb * 1024 * 1024,
    requireApiKey: config.requireApiKey,
    databaseAccepting: availability.accepting,
    pendingStartup: () =>
      seedProgress?.state === 'loading'
        ? { loading: 'official data (prisma/seed/official)', seed: seedProgress }
        : undefined,
    shared,
    replicaStatus: replicas && (() => replicas.status()),
    compressionMinBytes: config.compressionMinBytes,
    limits: {
      maxBodyBytes: config.maxBodyBytes,
      rateLimitPerMinute: config.rateLimitPerMinute,
      introspection: config.introspection,
      csrfPrevention: config.csrfPrevention,
    },
  });
  // Each request runs with its id and its client's address (X-Forwarded-For from TRUST_PROXY's
  // proxies only) in AsyncLocalStorage: every log line written for it carries them, the rate limit counts by the
  // address.
  const clientAddressOf = clientAddressResolver(config.trustProxy);
  const server: Server = createServer((request, response) => {
    const requestId = requestIdFrom(request.headers['x-request-id'] as string | undefined);
    request.headers['x-request-id'] = requestId;
    runWithRequestId(requestId, () => yoga(request, response), clientAddressOf(request));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  }).catch(async (error: unknown) => {
    await closeOpened();
    throw error;
  });
  const url = `http://localhost:${config.port}/graphql`;
  logger.info({ url, ms: Date.now() - started, embedded: database.embedded }, `refgraph is serving GraphQL at ${url}`);

  const seeding: Promise<void> = config.seedOfficialData
    ? seedOfficialData(database.url, { signal: stop, onProgress: (progress) => (seedProgress = progress) }).then(
        (outcome) => {
          seedProgress = { ...seedProgress!, state: 'done', current: null };
          const loaded = outcome.loaded.map((s) => `${s.system} ${s.release}`);
          if (loaded.length > 0) {
            logger.info(
              { loaded, seconds: seedProgress.seconds, ms: Date.now() - started },
              `official data loaded (${loaded.join(', ')}): ready`,
            );
          } else {
            logger.info({ skipped: outcome.skipped }, 'official data already in place: ready');
          }
        },
        (error: unknown) => {
          seedProgress = undefined;
          if (error instanceof LoadAborted)
            logger.info({ signal: stop.reason }, 'official data load stopped and rolled back');
          else
            logger.error(
              { err: error },
              'loading the official data failed (what was committed stays); serving what the database holds',
            );
        },
      )
    : Promise.resolve();

  // Stop accepting; idle keep-alive sockets would hold close() open, so drop them (again as
  // in-flight requests finish); after SHUTDOWN_TIMEOUT_MS cut whatever is left. Then let go of the
  // database: the listener, the pool, and the embedded Postgres if this process started it.
  const drain = async () => {
    logger.info({ signal: stop.reason }, 'stopping: draining in-flight requests');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
    await closed;
    clearInterval(idleSweep);
    clearTimeout(deadline);
    // The seed saw the same signal: its running load rolls back before the database goes.
    await seeding;
    await closeOpened();
    logger.info('stopped');
  };
  const stopped = new Promise<void>((resolve, reject) => {
    const onStop = () => drain().then(resolve, reject);
    if (stop.aborted) onStop();
    else stop.addEventListener('abort', onStop, { once: true });
  });
  return { url, stopped };
}

// createYoga(...) and its plugins. Exported as a factory so tests call yoga.fetch in-process.
import { createYoga, maskError, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import { prisma } from './db/client.js';
import { readMigrations } from './db/migrator.js';
import { isDatabaseUnavailable } from './db/unavailable.js';
import { createCodeRowCache } from './graphql/code-rows.js';
import type { Context } from './graphql/context.js';
import { databaseUnavailable, labelArgumentError } from './errors.js';
import { GRAPHIQL_HEADERS, GRAPHIQL_TABS, PROFILE_QUERY } from './http/graphiql-examples.js';
import { schema } from './graphql/schema.js';
import { setUnusedQueryStrict } from './graphql/unused-query.js';
import type { SharedStore } from './cache/redis-store.js';
import type { ReplicaStatus } from './db/replicas.js';
import { useAutomaticPersistedQueries } from './http/apq.js';
import { useCompression } from './http/use-compression.js';
import { useRefgraphResponseCache } from './http/response-cache.js';
import { callerOf, useAuthentication, type AuthenticatedContext } from './http/use-authentication.js';
import { useGraphiQLPage } from './http/use-graphiql-page.js';
import { usePages } from './http/use-pages.js';
import { useWellFormedText } from './http/use-well-formed-text.js';
import { DEFAULT_LIMITS, limitPlugins, type LimitOptions } from './http/limits.js';
import type { Logger } from './logger.js';
import { useMetrics } from './observability/metrics.js';
import { currentRequestId, requestIdOf, useRequestId } from './observability/request-context.js';

export interface YogaOptions {
  logger: Logger;
  /** Show error details (development only). */
  development?: boolean;
  /** Fail requests whose resolvers ignore Pothos's planned Prisma query (default: on; off in production). */
  strictQueries?: boolean;
  /** Cache read responses by data version (serve turns it on; off by default so tests count every statement). */
  responseCache?: boolean;
  /** Bytes of answers the response cache keeps, about. */
  responseCacheBytes?: number;
  /** Remember code rows per data version, by id and selection (serve turns it on). */
  entityCache?: boolean;
  /** Bytes of rows the entity cache keeps, about. */
  entityCacheBytes?: number;
  /** Reads need an API key too (REQUIRE_API_KEY). */
  requireApiKey?: boolean;
  /** Request limits (src/http/limits.ts); the rate limit is off unless given. */
  limits?: Partial<LimitOptions>;
  /** Whether Postgres accepts new connections (serve's probe); /ready is 503 while it does not. */
  databaseAccepting?: () => boolean;
  /** What start-up still does (serve's seed, with its progress); /ready is 503 with it as JSON while there is some. */
  pendingStartup?: () => object | undefined;
  /** Redis shared by every replica (REDIS_URL): rate-limit buckets, persisted queries, cached answers. */
  shared?: SharedStore;
  /** The read replicas' state and lag (DATABASE_REPLICA_URLS), which /ready reports. */
  replicaStatus?: () => ReplicaStatus[];
  /** Compress GraphQL answers of at least this many bytes (0: never). */
  compressionMinBytes?: number;
}

const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;

export type RefgraphYoga = YogaServerInstance<AuthenticatedContext, Context>;

export function createRefgraphYoga({
  logger,
  development = false,
  strictQueries = true,
  responseCache = false,
  responseCacheBytes = DEFAULT_CACHE_BYTES,
  entityCache = false,
  entityCacheBytes = DEFAULT_CACHE_BYTES,
  requireApiKey = false,
  limits = {},
  databaseAccepting = () => true,
  pendingStartup = () => undefined,
  shared,
  replicaStatus,
  compressionMinBytes = 0,
}: YogaOptions): RefgraphYoga {
  setUnusedQueryStrict(strictQueries);
  const expectedMigrations = readMigrations().map((m) => m.name);
  const limitOptions: LimitOptions = { ...DEFAULT_LIMITS, blockFieldSuggestions: !development, ...limits };
  const codeRows = entityCache ? createCodeRowCache(entityCacheBytes) : null;
  return createYoga<AuthenticatedContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    batching: { limit: limitOptions.maxBatch },
    // Bodies are capped by our own limit (src/http/limits.ts); Yoga's 25 MB one piped every body
    // through a TransformStream, ~3% of a small request's CPU.
    maxRequestBodySize: false,
    healthCheckEndpoint: '/health',
    landingPage: false,
    // GraphiQL is served by useGraphiQLPage (rendered once, kept compressed).
    graphiql: false,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      // Yoga logs each error our maskError replaced. maskError logs the unexpected ones itself (with
      // their stack); the rest are expected (DATABASE_UNAVAILABLE is counted in /metrics, and an
      // outage would otherwise write an error line per request), so Yoga's copies go to debug.
      error: (...args) =>
        args[0] instanceof Error
          ? logger.debug({ err: args[0] }, 'error replaced by maskError')
          : logger.error(args.map(String).join(' ')),
    },
    maskedErrors: {
      isDev: development,
      maskError: (error, message, isDev) => {
        if (isDatabaseUnavailable(error)) return databaseUnavailable();
        const argumentError = labelArgumentError(error);
        if (argumentError) return argumentError;
        // Our expected errors (BAD_USER_INPUT, NOT_FOUND, ...) pass through unchanged: only an
        // error that gets masked is a surprise worth an error line (and its stack).
        const masked = maskError(error, message, isDev);
        if (masked !== error) logger.error({ err: error }, 'unexpected error while executing a request');
        return masked;
      },
    },
    context: (initialContext): Context => {
      const requestId = requestIdOf(initialContext.request);
      return {
        requestId,
        caller: callerOf(initialContext),
        codeRows,
        // Under serve the logger's mixin already adds the id (AsyncLocalStorage); in-process calls need the child.
        logger: currentRequestId() ? logger : logger.child({ requestId }),
      };
    },
    plugins: [
      // Request id and metrics first so refused requests are counted and carry an id too.
      useRequestId(),
      useMetrics({ requireApiKey }),
      // The page holds no data, so it needs no key (analysts type theirs into its header editor).
      useGraphiQLPage('/graphql', {
        title: 'refgraph',
        defaultQuery: PROFILE_QUERY,
        // Example tabs (a profile, a search, a coverage summary, a code as of 2019); the header
        // editor starts with an empty x-api-key for the analyst's key.
        defaultTabs: GRAPHIQL_TABS,
        headers: GRAPHIQL_HEADERS,
        defaultEditorToolsVisibility: 'headers',
      }),
      ...limitPlugins(limitOptions, '/graphql', shared),
      // Before every cache (response cache, ETag revalidation, APQ): a cache never answers a caller
      // the server would refuse. After the rate limit, so made-up keys cannot flood the key lookup.
      useAuthentication('/graphql', requireApiKey),
      // The pages (`/`, `/codes/<code>`) check keys themselves (HTTP Basic) and answer HTML.
      usePages({ logger, requireApiKey }),
      // Text that Postgres cannot hold (NUL, unpaired surrogates) is refused before any resolver runs.
      useWellFormedText(),
      // APQ first: it turns a hash into the query the response cache keys on.
      useAutomaticPersistedQueries({ shared }),
      ...(responseCache ? [useRefgraphResponseCache({ maxBytes: responseCacheBytes, shared })] : []),
      useReadinessCheck({
        endpoint: '/ready',
        // Ready only when the database answers and every migration on disk is applied.
        check: async () => {
          if (!databaseAccepting()) return false;
          const pending = pendingStartup();
          if (pending) {
            return new Response(JSON.stringify({ ready: false, ...pending }), {
              status: 503,
              headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '5' },
            });
          }
          try {
            const rows = await prisma().$queryRaw<{ migration_name: string }[]>`
              SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
            const applied = new Set(rows.map((row) => row.migration_name));
            const ready = expectedMigrations.every((name) => applied.has(name));
            // Replicas never make the gateway unready (the primary answers for them), but /ready says how they are.
            if (!ready || !replicaStatus) return ready;
            return new Response(JSON.stringify({ ready: true, replicas: replicaStatus() }), {
              status: 200,
              headers: { 'content-type': 'application/json; charset=utf-8' },
            });
          } catch (error) {
            logger.warn({ err: error }, 'readiness check failed');
            return false;
          }
        },
      }),
      ...(compressionMinBytes > 0 ? [useCompression('/graphql', compressionMinBytes)] : []),
    ],
  });
}

// The only reader of process.env. Validates everything once and reports every problem at once.
// Each setting is written once, in SETTINGS: its variable, its rule and default, what it means.
import { resolve } from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const flag = z.enum(['true', 'false'], { message: 'must be true or false' }).transform((value) => value === 'true');

const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ message }).int(message).min(min, message).max(max, message);
};

const postgresUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'postgresql:' || url.protocol === 'postgres:';
  } catch {
    return false;
  }
}, 'must be a postgresql:// URL, e.g. postgresql://user:password@localhost:5432/refgraph');

/** Comma-separated values, blanks dropped. */
const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const redisUrl = z.string().refine((value) => {
  try {
    return ['redis:', 'rediss:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be a redis:// or rediss:// URL, e.g. redis://localhost:6379');

const postgresUrls = list.refine(
  (urls) => urls.every((url) => postgresUrl.safeParse(url).success),
  'must be postgresql:// URLs separated by commas',
);

/** Addresses, CIDRs or proxy-addr's names (loopback, linklocal, uniquelocal), separated by commas. */
const trustedProxies = list.refine((entries) => {
  try {
    proxyaddr.compile(entries);
    return true;
  } catch {
    return false;
  }
}, 'must be IP addresses or CIDRs (e.g. 10.0.0.0/8) or loopback, linklocal, uniquelocal, separated by commas');

interface Setting<S extends z.ZodType> {
  /** The environment variable. */
  variable: string;
  rule: S;
}

const setting = <S extends z.ZodType>(variable: string, rule: S): Setting<S> => ({ variable, rule });

const SETTINGS = {
  /** Port the gateway listens on. */
  port: setting('PORT', wholeNumber(1, 65_535).default(4000)),
  /** Interface to listen on. */
  host: setting('HOST', z.string().min(1, 'must not be empty').default('0.0.0.0')),
  /** Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset. */
  dataDir: setting(
    'DATA_DIR',
    z
      .string()
      .min(1, 'must not be empty')
      .default('./.data')
      .transform((path) => resolve(path)),
  ),
  /** An existing PostgreSQL instead of the embedded one. */
  databaseUrl: setting('DATABASE_URL', postgresUrl.optional()),
  logLevel: setting(
    'LOG_LEVEL',
    z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  /** production turns off error details and the N+1 guard. */
  nodeEnv: setting(
    'NODE_ENV',
    z
      .enum(['development', 'production', 'test'], { message: 'must be development, production or test' })
      .default('development'),
  ),
  /** Milliseconds one SQL statement may run before Postgres cancels it. */
  statementTimeoutMs: setting('STATEMENT_TIMEOUT_MS', wholeNumber(100, 600_000).default(10_000)),
  /** Connections in the pool. */
  databasePoolSize: setting('DATABASE_POOL_SIZE', wholeNumber(1, 200).default(10)),
  /** Milliseconds to wait for a database connection before answering DATABASE_UNAVAILABLE. */
  databaseConnectTimeoutMs: setting('DATABASE_CONNECT_TIMEOUT_MS', wholeNumber(100, 60_000).default(5_000)),
  /** Reads need an API key too (writes always need one with the steward scope). */
  requireApiKey: setting('REQUIRE_API_KEY', flag.default(false)),
  /** Introspection queries; unset means on except in production. */
  introspection: setting('INTROSPECTION', flag.optional()),
  /** Yoga's CSRF prevention: requests must carry a non-simple header (off: keys travel in headers). */
  csrfPrevention: setting('CSRF_PREVENTION', flag.default(false)),
  /** Requests per minute per API key (or per client address without one); 0 turns the limit off. */
  rateLimitPerMinute: setting('RATE_LIMIT_PER_MINUTE', wholeNumber(0, 1_000_000).default(600)),
  /** Largest request body accepted, in bytes (larger ones get 413 before parsing). */
  maxBodyBytes: setting('MAX_BODY_BYTES', wholeNumber(1_024, 10_000_000).default(100_000)),
  /** Milliseconds SIGTERM waits for in-flight requests before closing their connections. */
  shutdownTimeoutMs: setting('SHUTDOWN_TIMEOUT_MS', wholeNumber(0, 300_000).default(10_000)),
  /** Cache read responses, keyed by the data version and the day, so a load or an edit invalidates at once. */
  responseCache: setting('RESPONSE_CACHE', flag.default(true)),
  /** Megabytes of answers the response cache keeps, about. */
  responseCacheMb: setting('RESPONSE_CACHE_MB', wholeNumber(1, 4_096).default(32)),
  /** Remember code rows per data version (by id and selection), so new combinations of rows read before cost no SQL. */
  entityCache: setting('ENTITY_CACHE', flag.default(true)),
  /** Megabytes of rows the entity cache keeps, about. */
  entityCacheMb: setting('ENTITY_CACHE_MB', wholeNumber(1, 4_096).default(32)),
  /** `serve` loads the official files shipped in prisma/seed/official into a database that lacks them. */
  seedOfficialData: setting('SEED_OFFICIAL_DATA', flag.default(true)),
  /** Port of the embedded PostgreSQL that `refgraph postgres` runs (stable, so gateways can be given its URL). */
  postgresPort: setting('POSTGRES_PORT', wholeNumber(1, 65_535).default(55_432)),
  /** Redis shared by every gateway replica: rate limits, persisted queries, cached answers (unset: in-process only). */
  redisUrl: setting('REDIS_URL', redisUrl.optional()),
  /** Milliseconds a request waits for Redis before going on without it. */
  redisTimeoutMs: setting('REDIS_TIMEOUT_MS', wholeNumber(5, 10_000).default(100)),
  /**
   * Read replicas of DATABASE_URL (comma-separated): reads go there once they have replayed the current data version.
   */
  databaseReplicaUrls: setting('DATABASE_REPLICA_URLS', postgresUrls.default([])),
  /** Proxies (addresses, CIDRs) whose X-Forwarded-For names the client, for rate limits and logs. */
  trustProxy: setting('TRUST_PROXY', trustedProxies.default([])),
  /**
   * GraphQL answers of at least this many bytes are sent brotli- or gzip-compressed when the client accepts it; 0 =
   * never.
   */
  compressionMinBytes: setting('COMPRESSION_MIN_BYTES', wholeNumber(0, 100_000_000).default(1_024)),
};

type Settings = typeof SETTINGS;

export type Config = Readonly<{ [K in keyof Settings]: z.output<Settings[K]['rule']> } & { introspection: boolean }>;

/** Every variable refgraph reads (.env.example lists them all; a test checks it). */
export const CONFIG_VARIABLES: readonly string[] = Object.values(SETTINGS).map((s) => s.variable);

const envSchema = z.object(Object.fromEntries(Object.values(SETTINGS).map((s) => [s.variable, s.rule])));

/** Raised with every invalid setting listed, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Treat empty strings as unset, as shells and .env files commonly leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const values = parsed.data as Record<string, unknown>;
  const config = Object.fromEntries(Object.entries(SETTINGS).map(([key, s]) => [key, values[s.variable]])) as Omit<
    Config,
    'introspection'
  > & {
    introspection: boolean | undefined;
  };
  return Object.freeze({ ...config, introspection: config.introspection ?? config.nodeEnv !== 'production' });
}

// The only reader of process.env. Validates everything once and reports every problem at once.
import { resolve } from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const flag = z.enum(['true', 'false'], { message: 'must be true or false' }).transform((value) => value === 'true');

const envSchema = z.object({
  PORT: z.coerce
    .number({ message: 'must be a whole number from 1 to 65535' })
    .int('must be a whole number from 1 to 65535')
    .min(1, 'must be a whole number from 1 to 65535')
    .max(65535, 'must be a whole number from 1 to 65535')
    .default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1, 'must not be empty').default('./.data'),
  DATABASE_URL: z
    .string()
    .refine((value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'postgresql:' || url.protocol === 'postgres:';
      } catch {
        return false;
      }
    }, 'must be a postgresql:// URL, e.g. postgresql://user:password@localhost:5432/refgraph')
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Milliseconds one SQL statement may run before Postgres cancels it. */
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Connections in the pool. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Milliseconds to wait for a database connection before answering DATABASE_UNAVAILABLE. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Reads need an API key too (writes always need one with the steward scope). */
  REQUIRE_API_KEY: flag.default(false),
  /** Introspection queries; unset means on except in production. */
  INTROSPECTION: flag.optional(),
  /** Yoga's CSRF prevention: requests must carry a non-simple header (off: keys travel in headers). */
  CSRF_PREVENTION: flag.default(false),
  /** Requests per minute per API key (or per client address without one); 0 turns the limit off. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  /** Largest request body accepted, in bytes (larger ones get 413 before parsing). */
  MAX_BODY_BYTES: z.coerce.number().int().min(1_024).max(10_000_000).default(100_000),
  /** Milliseconds SIGTERM waits for in-flight requests before closing their connections. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  /** Cache read responses, keyed by the data version, so a load or an edit invalidates at once. */
  RESPONSE_CACHE: flag.default(true),
  /** `serve` loads the official files shipped in prisma/seed/official into a database that lacks them. */
  SEED_OFFICIAL_DATA: flag.default(true),
});

export type Config = Readonly<{
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  nodeEnv: 'development' | 'production' | 'test';
  statementTimeoutMs: number;
  databasePoolSize: number;
  databaseConnectTimeoutMs: number;
  requireApiKey: boolean;
  introspection: boolean;
  csrfPrevention: boolean;
  rateLimitPerMinute: number;
  maxBodyBytes: number;
  shutdownTimeoutMs: number;
  responseCache: boolean;
  seedOfficialData: boolean;
}>;

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
  const value = parsed.data;
  return Object.freeze({
    port: value.PORT,
    host: value.HOST,
    dataDir: resolve(value.DATA_DIR),
    databaseUrl: value.DATABASE_URL,
    logLevel: value.LOG_LEVEL,
    nodeEnv: value.NODE_ENV,
    statementTimeoutMs: value.STATEMENT_TIMEOUT_MS,
    databasePoolSize: value.DATABASE_POOL_SIZE,
    databaseConnectTimeoutMs: value.DATABASE_CONNECT_TIMEOUT_MS,
    requireApiKey: value.REQUIRE_API_KEY,
    introspection: value.INTROSPECTION ?? value.NODE_ENV !== 'production',
    csrfPrevention: value.CSRF_PREVENTION,
    rateLimitPerMinute: value.RATE_LIMIT_PER_MINUTE,
    maxBodyBytes: value.MAX_BODY_BYTES,
    shutdownTimeoutMs: value.SHUTDOWN_TIMEOUT_MS,
    responseCache: value.RESPONSE_CACHE,
    seedOfficialData: value.SEED_OFFICIAL_DATA,
  });
}

// What several gateway replicas share through Redis (REDIS_URL): rate-limit buckets, persisted
// queries and cached answers. Each sits behind the in-process cache it extends; Redis is asked only
// when this process does not know the answer itself.
//
// Redis is a help, never a dependency: every command waits at most REDIS_TIMEOUT_MS, a command
// that fails or times out makes the next second skip Redis altogether (the caller goes on as a
// single process would: its own bucket, its own caches, the database), and commands are never
// queued while the connection is down. One log line says when sharing stops and one when it
// resumes; /metrics has `refgraph_redis_up`, failures by reason and commands sent.
//
// Keys start with `refgraph:<system identifier>:<database>:` (src/db/identity.ts), so two
// databases sharing one Redis never read each other's entries; cached answers also carry the data
// version (src/http/response-cache.ts), so a load or an edit makes older entries unreachable and
// their TTL removes them.
import { Redis, type Result } from 'ioredis';
import type { Logger } from '../logger.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    refgraphTakeToken(key: string, perMinute: number): Result<[number, string], Context>;
  }
}

/**
 * A token bucket in one round trip: `perMinute` tokens, refilled evenly, on Redis's own clock so
 * replicas on several machines agree. Returns {1 if a token was taken, tokens left}.
 */
const TAKE_TOKEN = `
local capacity = tonumber(ARGV[1])
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or capacity
local at = tonumber(bucket[2]) or now
tokens = math.min(capacity, tokens + (now - at) * capacity / 60000)
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 60000)
return {taken, tostring(tokens)}
`;

/** After a failed or slow command, Redis is left alone this long before it is tried again. */
const PAUSE_AFTER_FAILURE_MS = 1_000;
/** Answers larger than this are kept in-process only. */
const MAX_VALUE_BYTES = 1_000_000;

export interface SharedStoreOptions {
  url: string;
  /** The database identity (src/db/identity.ts), part of every key. */
  database: string;
  timeoutMs: number;
  logger: Logger;
}

export interface TokenTaken {
  allowed: boolean;
  /** Seconds until the next token, when refused. */
  retryAfterSeconds: number;
}

/** Counters for /metrics (src/observability/metrics.ts). */
export interface RedisStats {
  up: boolean;
  commands: ReadonlyMap<string, number>;
  failures: ReadonlyMap<string, number>;
}

let stats: { up: boolean; commands: Map<string, number>; failures: Map<string, number> } | undefined;

/** Undefined when no REDIS_URL is configured. */
export function redisStats(): RedisStats | undefined {
  return stats;
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

export class SharedStore {
  private readonly redis: Redis;
  private readonly logger: Logger;
  private pausedUntil = 0;
  /** Whether the last word logged was "sharing" (true), "not sharing" (false) or nothing yet. */
  private sharing: boolean | undefined;
  private readonly counters = { up: false, commands: new Map<string, number>(), failures: new Map<string, number>() };

  constructor({ url, database, timeoutMs, logger }: SharedStoreOptions) {
    this.logger = logger;
    stats = this.counters;
    this.redis = new Redis(url, {
      keyPrefix: `refgraph:${database}:`,
      commandTimeout: timeoutMs,
      connectTimeout: Math.max(timeoutMs, 2_000),
      // Never queue or retry a command: a request that cannot have its answer now goes on without it.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Commands of concurrent requests travel together (one write per event-loop turn).
      enableAutoPipelining: true,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    });
    this.redis.defineCommand('refgraphTakeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
    this.redis.on('ready', () => this.healthy());
    // ioredis reports each failed reconnection; one line when sharing stops is enough.
    this.redis.on('error', (error: Error) => this.unhealthy('connection', error));
    this.redis.on('close', () => {
      if (this.counters.up) this.unhealthy('connection', new Error('connection to Redis closed'));
    });
  }

  private healthy(): void {
    this.counters.up = true;
    this.pausedUntil = 0;
    if (this.sharing !== true) {
      this.logger.info(
        this.sharing === undefined
          ? 'Redis connected: rate limits, persisted queries and cached answers are shared'
          : 'Redis is back: sharing resumed',
      );
      this.sharing = true;
    }
  }

  private unhealthy(reason: 'connection' | 'timeout' | 'error', error: Error): void {
    this.counters.up = false;
    this.pausedUntil = Date.now() + PAUSE_AFTER_FAILURE_MS;
    bump(this.counters.failures, reason);
    if (this.sharing !== false) {
      this.logger.warn(
        { err: { message: error.message }, reason },
        'Redis unavailable: each replica answers on its own (database, in-process caches and rate limit) until it returns',
      );
      this.sharing = false;
    }
  }

  /** Whether a command may be sent now. */
  available(): boolean {
    return this.redis.status === 'ready' && Date.now() >= this.pausedUntil;
  }

  private async command<T>(name: string, send: () => Promise<T>): Promise<T | undefined> {
    if (!this.available()) return undefined;
    bump(this.counters.commands, name);
    try {
      const result = await send();
      if (!this.counters.up) this.healthy();
      return result;
    } catch (error) {
      const timedOut = /timed out/i.test((error as Error).message);
      this.unhealthy(timedOut ? 'timeout' : 'error', error as Error);
      return undefined;
    }
  }

  /** The value at `key`, or undefined when there is none or Redis cannot say in time. */
  async get(key: string): Promise<string | undefined> {
    return (await this.command('get', () => this.redis.get(key))) ?? undefined;
  }

  /** Whether `key` exists (false when Redis cannot say in time). */
  async exists(key: string): Promise<boolean> {
    return ((await this.command('exists', () => this.redis.exists(key))) ?? 0) > 0;
  }

  /** Keep `value` at `key` for `ttlSeconds`; resolves true once Redis has it. */
  async set(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if (value.length > MAX_VALUE_BYTES) return false;
    return (await this.command('set', () => this.redis.set(key, value, 'EX', ttlSeconds))) === 'OK';
  }

  /** Take a token from the shared bucket `key`; undefined when Redis cannot say in time. */
  async takeToken(key: string, perMinute: number): Promise<TokenTaken | undefined> {
    const reply = await this.command('take_token', () => this.redis.refgraphTakeToken(key, perMinute));
    if (!reply) return undefined;
    const [taken, left] = reply;
    return { allowed: taken === 1, retryAfterSeconds: Math.max(1, Math.ceil(((1 - Number(left)) * 60) / perMinute)) };
  }

  async stop(): Promise<void> {
    this.redis.removeAllListeners('close');
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

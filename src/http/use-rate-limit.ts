// Per API key (per client address without one) token buckets: 429 with Retry-After beyond the limit.
// With REDIS_URL the buckets live in Redis, so a key gets its limit across every replica, not per
// replica; when Redis cannot answer in time, this process's own buckets stand in.
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { hashApiKey, knownCaller, presentedApiKey } from '../auth/api-keys.js';
import type { SharedStore } from '../cache/redis-store.js';
import { ErrorCode } from '../errors.js';
import { currentClientAddress } from '../observability/request-context.js';
import { errorResponse } from './error-response.js';

/** Buckets kept at most; the least recently used go first. */
const MAX_BUCKETS = 50_000;

export interface RateLimitOptions {
  /** Buckets shared by every replica (REDIS_URL). */
  shared?: SharedStore;
}

/**
 * Token bucket per API key (per client address without one): `perMinute` requests, refilled evenly.
 * Only a key this process has verified gets a bucket of its own; an unknown or made-up key counts
 * against its client's address, so inventing keys neither escapes the limit nor grows the buckets.
 */
export function useRateLimit(
  perMinute: number,
  endpoint: string,
  { shared }: RateLimitOptions = {},
): Plugin<Record<string, unknown>, { req?: { socket?: { remoteAddress?: string } } }> {
  // A bucket left alone for a minute is full again, so forgetting it then changes nothing.
  const buckets = new LRUCache<string, { tokens: number; at: number }>({ max: MAX_BUCKETS, ttl: 60_000 });
  const refillPerMs = perMinute / 60_000;
  const refuse = (retryAfter: number) =>
    errorResponse(
      429,
      ErrorCode.RATE_LIMITED,
      `Rate limit of ${perMinute} requests per minute exceeded; retry in ${retryAfter} s.`,
      { 'retry-after': String(retryAfter) },
    );

  /** This process's own bucket: the retry delay in seconds when empty, else undefined (a token taken). */
  const takeLocal = (who: string): number | undefined => {
    const now = Date.now();
    const bucket = buckets.get(who) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    buckets.set(who, bucket);
    if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
    bucket.tokens -= 1;
    return undefined;
  };

  return {
    onRequest({ request, url, serverContext, endResponse }) {
      if (url.pathname !== endpoint) return;
      const key = presentedApiKey(request.headers);
      const address = currentClientAddress() ?? serverContext.req?.socket?.remoteAddress ?? 'local';
      const who = key && knownCaller(key) ? `key:${hashApiKey(key)}` : `ip:${address}`;
      const local = () => {
        const retryAfter = takeLocal(who);
        if (retryAfter !== undefined) endResponse(refuse(retryAfter));
      };
      if (!shared?.available()) return local();
      return shared.takeToken(`rate:${who}`, perMinute).then((taken) => {
        if (!taken) return local();
        if (!taken.allowed) endResponse(refuse(taken.retryAfterSeconds));
      });
    },
  };
}

// Response cache for read queries, keyed by the data version (src/db/data-version.ts): a new
// load or any change to curated data changes the version, so no answer computed from older data
// is served again. The key (also the ETag) starts with the version, so a stale key never hits,
// neither as a cached response nor as an `If-None-Match` revalidation (304).
import { createInMemoryCache, hashSHA256, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import { currentDataVersion } from '../db/data-version.js';

export interface ResponseCacheOptions {
  /** Cached responses kept (least recently used go first). */
  max?: number;
  /** Milliseconds an entry may live even when the data version does not change. */
  ttlMs?: number;
}

type Cache = ReturnType<typeof createInMemoryCache>;

const versionOf = (key: string) => key.slice(0, key.indexOf(':'));

/**
 * An in-memory cache holding entries of the current data version only: a key of another version
 * neither hits (so a stale ETag gets a full answer, not a 304) nor is stored, and the entries are
 * dropped when the version moves on.
 */
function versionedCache(max: number): Cache {
  let version: string | undefined;
  let entries = createInMemoryCache({ max });
  const current = async (key: string): Promise<boolean> => {
    const now = await currentDataVersion();
    if (now !== version) {
      version = now;
      entries = createInMemoryCache({ max });
    }
    return versionOf(key) === now;
  };
  return {
    get: async (key) => ((await current(key)) ? entries.get(key) : undefined),
    set: async (key, value, entities, ttl) => {
      if (await current(key)) await entries.set(key, value, entities, ttl);
    },
    invalidate: (entities) => entries.invalidate(entities),
  };
}

export function useRefgraphResponseCache({ max = 2_000, ttlMs = 10 * 60_000 }: ResponseCacheOptions = {}): Plugin {
  return useResponseCache({
    cache: versionedCache(max),
    ttl: ttlMs,
    // Every reader sees the same reference data: the "session" is the data version.
    session: () => currentDataVersion(),
    buildResponseCacheKey: async ({ sessionId, documentString, operationName, variableValues }) =>
      `${sessionId}:${await hashSHA256(JSON.stringify([documentString, operationName ?? null, variableValues ?? {}]))}`,
  });
}

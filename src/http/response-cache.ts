// Response cache for read queries, keyed by the data version (src/db/data-version.ts) and the
// day: a new load or any change to curated data moves the version, so no answer computed from
// older data is served again, and an answer that depends on today's date (a code's status without
// asOf) does not outlive the day. The key (also the ETag) starts with both, so a stale key never
// hits, neither as a cached response nor as an `If-None-Match` revalidation (304). Bounded in
// bytes, least recently used first out. Only while a watcher holds the data version (serve):
// otherwise every request would pay a statement to learn it.
import { hashSHA256, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { jsonSize, VersionedLru } from '../cache/versioned-lru.js';
import { watchedDataVersion } from '../db/data-version.js';
import { today } from '../graphql/as-of.js';

export interface ResponseCacheOptions {
  /** Bytes of cached answers kept, about (least recently used go first). */
  maxBytes: number;
}

/** The data version and the day an answer is computed for: the first part of its key. */
function session(): string {
  return `${watchedDataVersion()}@${today().toISOString().slice(0, 10)}`;
}

export function useRefgraphResponseCache({ maxBytes }: ResponseCacheOptions): Plugin {
  // Cached answers are objects; they take about twice their JSON text in the heap.
  const answers = new VersionedLru<ExecutionResult>('response', maxBytes, (answer) => 2 * jsonSize(answer));
  const versionOf = (key: string) => key.slice(0, key.indexOf('@'));
  return useResponseCache({
    enabled: () => watchedDataVersion() !== undefined,
    cache: {
      // A key of another version (an old ETag) neither hits nor is stored.
      get: (key) => (versionOf(key) === answers.current() ? answers.get(key) : undefined),
      set: (key, value) => answers.set(key, value as ExecutionResult, versionOf(key)),
      invalidate: () => {},
    },
    // Every reader sees the same reference data: the "session" is the data version and the day.
    session,
    buildResponseCacheKey: async ({ sessionId, documentString, operationName, variableValues }) =>
      `${sessionId}:${await hashSHA256(JSON.stringify([documentString, operationName ?? null, variableValues ?? {}]))}`,
  });
}

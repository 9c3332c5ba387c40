// Automatic persisted queries, as Apollo Client's persisted-query link speaks them: a request
// may carry `extensions.persistedQuery = { version: 1, sha256Hash }` without the query; when the
// hash is unknown the answer is PERSISTED_QUERY_NOT_FOUND and the link retries with the query,
// which is stored under its hash.
//
// Written here rather than taken from @graphql-yoga/plugin-apq: that package declares a peer
// dependency on @graphql-tools/utils 10 while the tree holds 11, and forcing it would break every
// later `npm install` of the team. The protocol is the same.
import { createHash } from 'node:crypto';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { SharedStore } from '../cache/redis-store.js';
import { ErrorCode } from '../errors.js';

export interface ApqOptions {
  /** Queries kept (least recently used go first). */
  max?: number;
  /** Redis (REDIS_URL): a query registered through one replica is found through every other. */
  shared?: SharedStore;
}

/** How long a registered query is kept, in-process and in Redis. */
const KEEP_SECONDS = 24 * 3_600;

interface PersistedQuery {
  version: 1;
  sha256Hash: string;
}

function persistedQueryOf(extensions: Record<string, unknown> | undefined): PersistedQuery | null {
  const value = extensions?.persistedQuery as Partial<PersistedQuery> | undefined;
  return value?.version === 1 && typeof value.sha256Hash === 'string' ? (value as PersistedQuery) : null;
}

export function useAutomaticPersistedQueries({ max = 5_000, shared }: ApqOptions = {}): Plugin {
  const store = new LRUCache<string, string>({ max, ttl: KEEP_SECONDS * 1_000 });
  const notFound = () =>
    // Apollo's link looks for this message or code, then resends with the query.
    createGraphQLError('PersistedQueryNotFound', {
      extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_FOUND, http: { status: 200 } },
    });
  return {
    onParams({ params, setParams }) {
      const persisted = persistedQueryOf(params.extensions);
      if (!persisted) return;
      const key = `apq:${persisted.sha256Hash}`;
      if (params.query == null) {
        const query = store.get(persisted.sha256Hash);
        if (query !== undefined) return setParams({ ...params, query });
        if (!shared) throw notFound();
        return shared.get(key).then((found) => {
          if (found === undefined) throw notFound();
          store.set(persisted.sha256Hash, found);
          setParams({ ...params, query: found });
        });
      }
      if (createHash('sha256').update(params.query).digest('hex') !== persisted.sha256Hash) {
        throw createGraphQLError('PersistedQueryMismatch: the sha256Hash does not match the query', {
          extensions: { code: ErrorCode.PERSISTED_QUERY_MISMATCH, http: { status: 400 } },
        });
      }
      store.set(persisted.sha256Hash, params.query);
      // Awaited (within REDIS_TIMEOUT_MS): once the client has its answer, every replica knows the hash.
      if (shared) return shared.set(key, params.query, KEEP_SECONDS).then(() => {});
    },
  };
}

// Response cache for read queries, keyed by the data version (src/db/data-version.ts), the day and
// the request: a new load or any change to curated data moves the version, so no answer computed
// from older data is served again, and an answer that depends on today's date (a code's status
// without asOf) does not outlive the day. The key is also the ETag, so a stale ETag never earns a
// 304. Bounded in bytes, least recently used first out; on only while a watcher holds the data
// version (serve): otherwise every request would pay a statement to learn it.
//
// Our own plugin rather than @graphql-yoga/plugin-response-cache: that one rewrites every document
// to collect the type and id of each object in each answer (for invalidating by entity, which the
// data version makes unnecessary) and walks every answer twice to strip them again: 17% of the CPU
// of the benchmark's mix, most of it for answers it would never serve again.
//
// With REDIS_URL, answers are shared by every replica behind this in-process cache: a miss here
// asks Redis (within REDIS_TIMEOUT_MS) before executing, and a computed answer is written there
// too. The key is the same everywhere (every replica holds the same data version from NOTIFY), and
// Redis keys also carry the database's identity (src/cache/redis-store.ts).
import { createHash } from 'node:crypto';
import { getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SharedStore } from '../cache/redis-store.js';
import { VersionedLru } from '../cache/versioned-lru.js';
import { watchedDataVersion } from '../db/data-version.js';
import { today } from '../graphql/as-of.js';

export interface ResponseCacheOptions {
  /** Bytes of cached answers kept, about. */
  maxBytes: number;
  /** Redis (REDIS_URL), shared by every replica. */
  shared?: SharedStore;
}

/** How long Redis keeps an answer (keys carry the day, so a day is as long as one can serve). */
const SHARED_SECONDS = 24 * 3_600;
const sharedKey = (key: string) => `answer:${key}`;

interface Params {
  query?: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

const versionOf = (key: string) => key.slice(0, key.indexOf('@'));

/** The data version, the day, and a hash of the request: the answer's key and its ETag. */
function keyOf(version: string, params: Params): string {
  const request = createHash('sha256')
    .update(JSON.stringify([params.query, params.operationName ?? null, params.variables ?? null]))
    .digest('hex');
  return `${version}@${today().toISOString().slice(0, 10)}:${request}`;
}

/**
 * An answer as it is kept: its JSON text alone, which Yoga writes as the body (it calls a result's
 * own `stringify`), so serving it again serializes nothing. Not the answer's objects: they take
 * several times the text's memory (a cache of 32 MB of text held 200 MB more of objects), and
 * nothing reads them on a hit (only errors are read, and answers with errors are not kept).
 */
type CachedAnswer = ExecutionResult & { stringify: () => string; size: number };

/** What an entry costs besides its text: the entry, its closure, its key in the LRU. */
const ENTRY_OVERHEAD = 400;

function cachedAnswer(etag: string, text: string): CachedAnswer {
  // Answers without errors only: the text is what Yoga would write (it strips only extensions.http).
  return {
    extensions: { http: { headers: { etag } } },
    stringify: () => text,
    size: text.length + ENTRY_OVERHEAD,
  };
}

export function useRefgraphResponseCache({ maxBytes, shared }: ResponseCacheOptions): Plugin {
  const answers = new VersionedLru<CachedAnswer>('response', maxBytes, (answer) => answer.size);
  /** The key of each request that missed, to store its answer under (per request context). */
  const pending = new WeakMap<object, string>();
  const cached = (key: string) => (versionOf(key) === answers.current() ? answers.get(key) : undefined);

  return {
    onRequest({ request, endResponse }) {
      // A revalidation of an answer still cached under the current version and day: 304.
      const etag = request.headers.get('if-none-match');
      if (!etag) return;
      const notModified = () => endResponse(new Response(null, { status: 304, headers: { etag } }));
      if (cached(etag)) return notModified();
      // An ETag another replica gave, for an answer still current.
      if (shared && versionOf(etag) === answers.current()) {
        return shared.exists(sharedKey(etag)).then((known) => {
          if (known) notModified();
        });
      }
    },
    onParams({ params, context, setResult }) {
      const version = watchedDataVersion();
      if (version === undefined || typeof params.query !== 'string') return;
      const key = keyOf(version, params);
      // The key carries the version the cache holds entries for: no need to compare them again.
      const hit = answers.get(key);
      if (hit) return setResult(hit);
      if (!shared) return void pending.set(context, key);
      return shared.get(sharedKey(key)).then((text) => {
        if (text === undefined) return void pending.set(context, key);
        const answer = cachedAnswer(key, text);
        answers.set(key, answer, version);
        setResult(answer);
      });
    },
    onExecute({ args }) {
      const key = pending.get(args.contextValue as object);
      // Only queries: a mutation's answer is never served again.
      if (key === undefined || getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      return {
        onExecuteDone({ result }) {
          const answer = result as ExecutionResult;
          if (Symbol.asyncIterator in answer || answer.errors?.length) return;
          // The key is the ETag; a GET can revalidate it.
          const stored = cachedAnswer(key, JSON.stringify(answer));
          answers.set(key, stored, versionOf(key));
          // Not awaited: the client has its answer either way. Only while the version still holds.
          if (shared && answers.current() === versionOf(key))
            void shared.set(sharedKey(key), stored.stringify(), SHARED_SECONDS);
          // This answer carries the ETag too, and its text is written once.
          Object.assign(answer, { extensions: stored.extensions, stringify: stored.stringify });
        },
      };
    },
  };
}

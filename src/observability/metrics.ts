// Prometheus metrics at /metrics (prom-client): GraphQL requests and latency by operation, errors
// by code, HTTP responses by status, the database pool's connections, each code system's newest
// official release, and Node's own metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import { redisStats } from '../cache/redis-store.js';
import { cacheStats } from '../cache/versioned-lru.js';
import { poolStats, prisma } from '../db/client.js';
import { activeReplicaSet } from '../db/replicas.js';
import { ErrorCode } from '../errors.js';
import { type AuthenticatedContext, authorize } from '../http/use-authentication.js';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'refgraph_' });

const requests = new Counter({
  name: 'refgraph_graphql_requests_total',
  help: 'GraphQL operations answered, by operation name and outcome (ok or error).',
  labelNames: ['operation', 'outcome'] as const,
  registers: [registry],
});
const latency = new Histogram({
  name: 'refgraph_graphql_request_duration_seconds',
  help: 'Time from receiving a GraphQL request to its result, by operation name.',
  labelNames: ['operation'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});
const errors = new Counter({
  name: 'refgraph_graphql_errors_total',
  help: 'GraphQL errors returned, by extensions.code (INTERNAL for masked ones).',
  labelNames: ['code'] as const,
  registers: [registry],
});
const responses = new Counter({
  name: 'refgraph_http_responses_total',
  help: 'HTTP responses, by status code (includes 413 and 429 refused before parsing).',
  labelNames: ['status'] as const,
  registers: [registry],
});
new Gauge({
  name: 'refgraph_db_pool_connections',
  help: 'Database pool connections by state (total, idle, waiting clients, max).',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    const stats = poolStats();
    if (!stats) return;
    this.set({ state: 'total' }, stats.total);
    this.set({ state: 'idle' }, stats.idle);
    this.set({ state: 'waiting' }, stats.waiting);
    this.set({ state: 'max' }, stats.max);
  },
});

// Caches of data or answers (src/cache/versioned-lru.ts): lookups by outcome, and what they hold.
new Counter({
  name: 'refgraph_cache_lookups_total',
  help: 'Lookups in each cache (response, entity, code index) by outcome (hit or miss); the hit rate is hit / (hit + miss).',
  labelNames: ['cache', 'outcome'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const stats of cacheStats()) {
      this.inc({ cache: stats.name, outcome: 'hit' }, stats.hits);
      this.inc({ cache: stats.name, outcome: 'miss' }, stats.misses);
    }
  },
});
new Gauge({
  name: 'refgraph_cache_bytes',
  help: 'Bytes each cache holds (about), and its bound.',
  labelNames: ['cache', 'kind'] as const,
  registers: [registry],
  collect() {
    for (const stats of cacheStats()) {
      this.set({ cache: stats.name, kind: 'used' }, stats.bytes);
      this.set({ cache: stats.name, kind: 'max' }, stats.maxBytes);
    }
  },
});
// Several replicas (README "Running several replicas"): Redis, and the read replicas.
new Gauge({
  name: 'refgraph_redis_up',
  help: '1 while Redis (REDIS_URL) answers and state is shared with the other replicas; 0 while this process answers on its own.',
  registers: [registry],
  collect() {
    const stats = redisStats();
    if (stats) this.set(stats.up ? 1 : 0);
  },
});
new Counter({
  name: 'refgraph_redis_commands_total',
  help: 'Commands sent to Redis (each one round trip, though concurrent ones travel together), by command.',
  labelNames: ['command'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [command, count] of redisStats()?.commands ?? []) this.inc({ command }, count);
  },
});
new Counter({
  name: 'refgraph_redis_failures_total',
  help: 'Redis failures by reason (connection, timeout, error); after one, Redis is left alone for a second.',
  labelNames: ['reason'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [reason, count] of redisStats()?.failures ?? []) this.inc({ reason }, count);
  },
});
new Counter({
  name: 'refgraph_db_reads_total',
  help: 'Statements sent outside transactions with DATABASE_REPLICA_URLS, by target (primary, or a replica by host:port/database).',
  labelNames: ['target'] as const,
  registers: [registry],
  collect() {
    this.reset();
    const replicas = activeReplicaSet();
    if (!replicas) return;
    this.inc({ target: 'primary' }, replicas.primaryReads);
    for (const replica of replicas.status()) this.inc({ target: replica.name }, replica.reads);
  },
});
new Gauge({
  name: 'refgraph_db_replica_lag_bytes',
  help: 'WAL bytes the primary has written that each read replica has not replayed (absent while a replica is down).',
  labelNames: ['replica'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const replica of activeReplicaSet()?.status() ?? [])
      if (replica.lagBytes !== null) this.set({ replica: replica.name }, replica.lagBytes);
  },
});
new Gauge({
  name: 'refgraph_db_replica_up',
  help: '1 while a read replica answers (reads go there once it has replayed the current data version), 0 while it is skipped.',
  labelNames: ['replica'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const replica of activeReplicaSet()?.status() ?? [])
      this.set({ replica: replica.name }, replica.state === 'down' ? 0 : 1);
  },
});
new Gauge({
  name: 'refgraph_release_newest_effective_date_seconds',
  help:
    'Effective date (Unix time, UTC midnight) of the newest official release loaded, per code system: alert when ' +
    'time() minus it exceeds a quarter (CMS updates HCPCS and OPPS quarterly).',
  labelNames: ['system'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    let rows: { system: string; newest: Date }[];
    try {
      rows = await prisma().$queryRaw<{ system: string; newest: Date }[]>`
        SELECT s.kind::text AS system, max(r.effective_date) AS newest
        FROM release r JOIN code_system s ON s.id = r.system_id
        WHERE r.origin = 'OFFICIAL' GROUP BY s.kind`;
    } catch {
      return; // the database is away: the other metrics still answer
    }
    for (const row of rows) this.set({ system: row.system }, row.newest.getTime() / 1000);
  },
});

/**
 * Operation names come from clients, so a name becomes a label only once the server knows it:
 * sent by a caller with a valid API key, or asked by the hash of a persisted query. Anything else
 * is `other`, and the set of labels stays bounded either way.
 */
const MAX_OPERATION_LABELS = 200;
const knownOperations = new Set<string>();
function operationLabel(name: string | undefined, known: boolean): string {
  if (!name) return 'anonymous';
  const label = name.slice(0, 64);
  if (knownOperations.has(label)) return label;
  if (!known || knownOperations.size >= MAX_OPERATION_LABELS) return 'other';
  knownOperations.add(label);
  return label;
}

export interface MetricsOptions {
  endpoint?: string;
  /** Under REQUIRE_API_KEY, /metrics needs a key with the `metrics` scope (Prometheus sends it as a bearer token). */
  requireApiKey?: boolean;
}

interface Timing {
  at: bigint;
  name: string | undefined;
  /** The name may become a label (see operationLabel). */
  known: boolean;
}

export function useMetrics({
  endpoint = '/metrics',
  requireApiKey = false,
}: MetricsOptions = {}): Plugin<Record<string, unknown>, AuthenticatedContext> {
  const started = new WeakMap<Request, Timing>();
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname === endpoint && request.method === 'GET') {
        const authorized = requireApiKey ? await authorize(request, true, 'metrics', '/metrics') : undefined;
        endResponse(
          authorized instanceof Response
            ? authorized
            : new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } }),
        );
        return;
      }
      started.set(request, { at: process.hrtime.bigint(), name: undefined, known: false });
    },
    onParams({ request, params, context }) {
      const entry = started.get(request);
      if (!entry) return;
      entry.name = typeof params.operationName === 'string' ? params.operationName : undefined;
      const persisted = params.query == null && params.extensions?.persistedQuery != null;
      entry.known = (context as AuthenticatedContext).caller != null || persisted;
    },
    onResultProcess({ request, result }) {
      const entry = started.get(request);
      if (!entry) return;
      const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
      let failed = false;
      let unknownPersisted = false;
      for (const one of results) {
        for (const error of one?.errors ?? []) {
          failed = true;
          const code = String(error.extensions?.code ?? 'INTERNAL');
          if (code === ErrorCode.PERSISTED_QUERY_NOT_FOUND) unknownPersisted = true;
          errors.inc({ code });
        }
      }
      const operation = operationLabel(entry.name, entry.known && !unknownPersisted);
      requests.inc({ operation, outcome: failed ? 'error' : 'ok' });
      latency.observe({ operation }, Number(process.hrtime.bigint() - entry.at) / 1e9);
    },
    onResponse({ response }) {
      responses.inc({ status: String(response.status) });
    },
  };
}

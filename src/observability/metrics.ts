// Prometheus metrics at /metrics (prom-client): GraphQL requests and latency by operation, errors
// by code, HTTP responses by status, the database pool's connections, and Node's own metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import { poolStats } from '../db/client.js';

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

/** Operation names come from clients: keep the label set bounded. */
const MAX_OPERATION_LABELS = 200;
const seenOperations = new Set<string>();
function operationLabel(name: unknown): string {
  if (typeof name !== 'string' || !name) return 'anonymous';
  const label = name.slice(0, 64);
  if (seenOperations.has(label)) return label;
  if (seenOperations.size >= MAX_OPERATION_LABELS) return 'other';
  seenOperations.add(label);
  return label;
}

export function useMetrics(endpoint = '/metrics'): Plugin {
  const started = new WeakMap<Request, { at: bigint; operation: string }>();
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname === endpoint && request.method === 'GET') {
        endResponse(new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } }));
        return;
      }
      started.set(request, { at: process.hrtime.bigint(), operation: 'anonymous' });
    },
    onParams({ request, params }) {
      const entry = started.get(request);
      if (entry) entry.operation = operationLabel(params.operationName);
    },
    onResultProcess({ request, result }) {
      const entry = started.get(request);
      if (!entry) return;
      const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
      let failed = false;
      for (const one of results) {
        for (const error of one?.errors ?? []) {
          failed = true;
          errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL') });
        }
      }
      requests.inc({ operation: entry.operation, outcome: failed ? 'error' : 'ok' });
      latency.observe({ operation: entry.operation }, Number(process.hrtime.bigint() - entry.at) / 1e9);
    },
    onResponse({ response }) {
      responses.inc({ status: String(response.status) });
    },
  };
}

// autocannon ships no types: the options and result fields the soak bench uses, as autocannon's
// README documents them (`requests.total`: its lib/aggregateResult.js). A shorthand `declare module`
// would make all of it `any`.
declare module 'autocannon' {
  interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (request: Record<string, unknown>) => Record<string, unknown>;
  }
  interface Options {
    url: string;
    connections?: number;
    overallRate?: number;
    duration?: number;
    requests?: Request[];
  }
  interface Histogram {
    average: number;
    p50: number;
    p99: number;
  }
  interface Result {
    /** Requests per second, and how many completed in all. */
    requests: Histogram & { total: number };
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  /** Without a callback, the run is also a promise of its result. */
  export default function autocannon(options: Options): Promise<Result>;
}

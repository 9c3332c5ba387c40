// One pino logger for the process; request-scoped children carry the request id.
import { pino, type Logger } from 'pino';
import { currentRequestId } from './observability/request-context.js';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'refgraph' },
    // Every line written while a request is handled carries its id (src/observability/request-context.ts).
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  });
}

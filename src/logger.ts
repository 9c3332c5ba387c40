// One pino logger for the process; request-scoped children carry the request id.
import { pino, type Logger } from 'pino';
import { currentClientAddress, currentRequestId } from './observability/request-context.js';

export type { Logger };

/** A pino logger writing JSON lines to `destination` (standard output unless given, e.g. by tests). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'refgraph' },
    // Every line written while a request is handled carries its id (src/observability/request-context.ts).
    mixin: () => {
      const requestId = currentRequestId();
      if (!requestId) return {};
      const clientAddress = currentClientAddress();
      return clientAddress ? { requestId, clientAddress } : { requestId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

import type { Caller } from '../auth/api-keys.js';
import type { Logger } from '../logger.js';

/** The GraphQL context: small and read-only. The Prisma client is deliberately not in it. */
export interface Context {
  readonly requestId: string;
  /** The API key's holder, or null for an anonymous read. */
  readonly caller: Caller | null;
  /** A child of the process logger carrying the request id. */
  readonly logger: Logger;
}

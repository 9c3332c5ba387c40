import type { Caller } from '../auth/api-keys.js';
import type { Logger } from '../logger.js';
import type { CodeRowCache } from './code-rows.js';

/** The GraphQL context: small and read-only. The Prisma client is deliberately not in it. */
export interface Context {
  readonly requestId: string;
  /** The API key's holder, or null for an anonymous read. */
  readonly caller: Caller | null;
  /** A child of the process logger carrying the request id. */
  readonly logger: Logger;
  /** Code rows remembered per data version (the entity cache), shared by requests; null when off. */
  readonly codeRows: CodeRowCache | null;
}

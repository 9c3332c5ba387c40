// Expected failures, each a GraphQLError with a stable extensions.code, defined in one place below
// both the GraphQL layer and the domain (curation, auth), which raise them.
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  /** A request refused by a limit (depth, aliases, tokens, directives, cost, page size, body size, batch). */
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /** Automatic persisted queries (Apollo's protocol): an unknown hash, or a query that does not match its hash. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_MISMATCH: 'PERSISTED_QUERY_MISMATCH',
} as const;

/** A bad field of an input object; `field` is its path, e.g. input.sourceUrl. */
export function badField(field: string, reason: string): GraphQLError {
  return new GraphQLError(`Field "${field}" ${reason}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, field },
  });
}

export function unauthenticated(reason: string): GraphQLError {
  return new GraphQLError(reason, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
}

export function forbidden(reason: string): GraphQLError {
  return new GraphQLError(reason, { extensions: { code: ErrorCode.FORBIDDEN } });
}

export function limitExceeded(message: string, http = 400): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.LIMIT_EXCEEDED, http: { status: http } } });
}

/** A bad argument value; the message names the argument. */
export function badUserInput(argument: string, reason: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(`Argument "${argument}" ${reason}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argument, ...extensions },
  });
}

/**
 * 503 with Retry-After, as for /ready: the failure is temporary and says nothing about the request,
 * so clients, proxies and load balancers retry (elsewhere or shortly) instead of giving up or caching.
 */
export function databaseUnavailable(): GraphQLError {
  return new GraphQLError('The database is unavailable right now; retry shortly.', {
    extensions: { code: ErrorCode.DATABASE_UNAVAILABLE, http: { status: 503, headers: { 'retry-after': '1' } } },
  });
}

/** Pothos's own argument checks (cursors, negative page sizes) throw GraphQLErrors without a code. */
const POTHOS_ARGUMENT_ERROR = /^(Invalid cursor|Argument "\w+" must be)/;
/** Apollo's `_entities` throws a plain Error for a representation that names no entity type. */
const UNKNOWN_REPRESENTATION = /^The _entities resolver tried to load an entity for type "/;

/** Gives library errors that are about the request's arguments the BAD_USER_INPUT code ours carry. */
export function labelArgumentError(error: unknown): GraphQLError | undefined {
  if (!(error instanceof GraphQLError) || error.extensions?.code) return undefined;
  const original = error.originalError;
  const extensions = { code: ErrorCode.BAD_USER_INPUT };
  if (original instanceof GraphQLError && !original.extensions?.code && POTHOS_ARGUMENT_ERROR.test(original.message)) {
    return new GraphQLError(original.message, { nodes: error.nodes, path: error.path, extensions });
  }
  if (original instanceof Error && UNKNOWN_REPRESENTATION.test(original.message)) {
    return new GraphQLError(
      'Argument "representations" must hold objects whose __typename is an entity type of this subgraph (Code, Payer, Modifier, PlaceOfService).',
      {
        nodes: error.nodes,
        path: error.path,
        extensions: { ...extensions, argument: 'representations' },
      },
    );
  }
  return undefined;
}

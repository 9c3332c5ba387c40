// Who is asking, decided for every request to the GraphQL endpoint before anything else answers
// it: before the response cache (a hit, or a 304 for a cached ETag), before persisted queries,
// before parsing. A refused key (or a missing one under REQUIRE_API_KEY) gets 401 here, so no
// cache can answer a caller the server would turn away. The caller travels to the GraphQL context
// in Yoga's server context, as Yoga's own auth plugins pass theirs.
import type { Plugin } from 'graphql-yoga';
import { authenticate, hasScope, type Caller, type Scope } from '../auth/api-keys.js';
import { ErrorCode } from '../errors.js';
import { errorResponse } from './error-response.js';

/** What this plugin adds to the server context. */
export interface AuthenticatedContext {
  caller?: Caller | null;
}

export function useAuthentication(
  endpoint: string,
  requireApiKey: boolean,
): Plugin<Record<string, unknown>, AuthenticatedContext> {
  return {
    async onRequest({ request, url, serverContext, endResponse }) {
      if (url.pathname !== endpoint) return;
      // A key that may not read (a Prometheus scraper's metrics key) reads nothing, cached or not.
      const authorized = await authorize(request, requireApiKey, 'read', 'GraphQL');
      if (authorized instanceof Response) return endResponse(authorized);
      serverContext.caller = authorized.caller;
    },
  };
}

/**
 * The caller of a request (null: anonymous, where no key is required), or the answer that refuses
 * it: 401 without a valid key (or with none where one is required), 403 when the key lacks `scope`.
 */
export async function authorize(
  request: Request,
  requireApiKey: boolean,
  scope: Scope,
  what: string,
): Promise<{ caller: Caller | null } | Response> {
  const authentication = await authenticate(request.headers, requireApiKey);
  if ('refused' in authentication) {
    return errorResponse(401, ErrorCode.UNAUTHENTICATED, authentication.refused, {
      'www-authenticate': 'Bearer realm="refgraph"',
    });
  }
  const { caller } = authentication;
  if (caller && !hasScope(caller, scope))
    return errorResponse(
      403,
      ErrorCode.FORBIDDEN,
      `The API key "${caller.keyName}" lacks the "${scope}" scope ${what} needs.`,
    );
  return { caller };
}

/** The caller `useAuthentication` found (null: anonymous). */
export function callerOf(serverContext: AuthenticatedContext): Caller | null {
  return serverContext.caller ?? null;
}

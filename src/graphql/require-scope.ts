// Scope checks for resolvers: writes need `steward`, key administration needs `admin`.
import { hasScope, type Scope } from '../auth/api-keys.js';
import type { Context } from './context.js';
import { forbidden, unauthenticated } from '../errors.js';

/** Throws UNAUTHENTICATED without a key, FORBIDDEN when the key lacks `scope`; returns the key's name. */
export function requireScope(context: Context, scope: Scope): string {
  if (!context.caller)
    throw unauthenticated(`This operation needs an API key with the "${scope}" scope (header x-api-key).`);
  if (!hasScope(context.caller, scope)) {
    throw forbidden(`The API key "${context.caller.keyName}" lacks the "${scope}" scope this operation needs.`);
  }
  return context.caller.keyName;
}

// The limits that refuse abusive requests before any SQL runs, as Yoga plugins in this order:
// body size (413, use-body-limit.ts), operationName type (use-param-types.ts), the per-key rate
// limit (429, use-rate-limit.ts), CSRF prevention and introspection as options, reserved names
// (use-reserved-names.ts), depth, aliases, tokens and directives (GraphQL Armor, at validation),
// and cost with page sizes (use-cost-limit.ts, each field's cost declared on the field). Batch size
// is Yoga's own `batching` option.
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SharedStore } from '../cache/redis-store.js';
import { ErrorCode } from '../errors.js';
import { useBodyLimit } from './use-body-limit.js';
import { useCostLimit } from './use-cost-limit.js';
import { useParamTypes } from './use-param-types.js';
import { useRateLimit } from './use-rate-limit.js';
import { useReservedNames } from './use-reserved-names.js';

export interface LimitOptions {
  maxBodyBytes: number;
  /** Requests per minute per API key (per client address without one); 0 = off. */
  rateLimitPerMinute: number;
  introspection: boolean;
  csrfPrevention: boolean;
  /** Hide "did you mean" field suggestions (they leak the schema when introspection is off). */
  blockFieldSuggestions: boolean;
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxCost: number;
  maxBatch: number;
}

export const DEFAULT_LIMITS: LimitOptions = {
  maxBodyBytes: 100_000,
  rateLimitPerMinute: 0,
  introspection: true,
  csrfPrevention: false,
  blockFieldSuggestions: false,
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2_000,
  maxDirectives: 10,
  // A dashboard page of 100 codes with coverage notes, payers, modifiers and sites fits.
  maxCost: 25_000,
  maxBatch: 10,
};

/** `shared`: Redis (REDIS_URL), where the rate limit's buckets then live. */
export function limitPlugins(options: LimitOptions, endpoint: string, shared?: SharedStore): Plugin[] {
  // Armor throws its rejections out of validation (a 200 with an uncoded error); report them as
  // validation errors instead: 400, LIMIT_EXCEEDED. Tokens are counted by the parser (a syntax error, 400).
  const report = {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        context?.reportError(
          new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
            extensions: { code: ErrorCode.LIMIT_EXCEEDED, http: { status: 400 } },
          }),
        );
      },
    ],
  };
  const armor = new EnvelopArmor({
    maxDepth: { n: options.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...report },
    maxAliases: { n: options.maxAliases, ...report },
    maxTokens: { n: options.maxTokens },
    maxDirectives: { n: options.maxDirectives, ...report },
    // Our own cost limit (below) counts list sizes; Armor's does not.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: options.blockFieldSuggestions },
  }).protect();
  const plugins: Plugin[] = [useBodyLimit(options.maxBodyBytes), useParamTypes()];
  if (options.rateLimitPerMinute > 0)
    plugins.push(useRateLimit(options.rateLimitPerMinute, endpoint, { shared }) as Plugin);
  if (options.csrfPrevention)
    plugins.push(useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'x-api-key', 'authorization'] }));
  if (!options.introspection) plugins.push(useDisableIntrospection());
  plugins.push(useReservedNames(), ...(armor.plugins as Plugin[]), useCostLimit(options.maxCost));
  return plugins;
}

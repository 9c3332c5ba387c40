// Limits that refuse abusive requests before any SQL runs: body size (413), batch size (Yoga's
// `batching`), tokens (at parse), depth, aliases, directives (GraphQL Armor, at validation), cost
// and page size (graphql-query-complexity with list sizes from `first`/`last`, at validation),
// per-key rate limit (429), introspection and CSRF prevention as options.
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError, Kind, getNamedType, getNullableType, isListType, visit, type ASTVisitor, type DocumentNode, type NameNode, type ValidationContext } from 'graphql';
import { getComplexity, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { hashApiKey, knownCaller, presentedApiKey } from '../auth/api-keys.js';
import { MAX_PAGE_SIZE } from '../graphql/arguments.js';
import { ErrorCode, limitExceeded } from '../graphql/errors.js';
import { errorResponse } from './error-response.js';

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

/**
 * How many items a list field without paging arguments returns at most, from the data: a code
 * has a handful of sites, modifiers, taxonomies and diagnoses, one note per payer and region.
 */
const LIST_SIZE: Record<string, number> = {
  'Code.coverage': 10,
  'Code.sitesOfService': 5,
  'Code.modifiers': 5,
  'Code.benchmarks': 5,
  'Code.relatedCodes': 10,
  'Code.taxonomies': 10,
  'Code.diagnoses': 20,
  'Code.history': 20,
  'CoverageNote.revisions': 20,
};
const DEFAULT_LIST_SIZE = 10;

/** Cost of a field: 1, plus its selection times the number of items it can return. */
export function fieldCost({ type, field, args, childComplexity }: ComplexityEstimatorArgs): number {
  // Introspection (GraphiQL's schema fetch) is bounded by the schema itself, not by data: free.
  if (field.name.startsWith('__') || type.name.startsWith('__')) return 0;
  const pageSize = args.first ?? args.last;
  // Too large a page is refused here, before any SQL (negative ones by Pothos when resolving).
  if (typeof pageSize === 'number' && pageSize > MAX_PAGE_SIZE) {
    const argument = typeof args.first === 'number' ? 'first' : 'last';
    throw new GraphQLError(`Argument "${argument}" must be between 0 and ${MAX_PAGE_SIZE} (got ${pageSize})`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT, argument, field: `${type.name}.${field.name}` },
    });
  }
  const pages = field.args.some((arg) => arg.name === 'first' || arg.name === 'last');
  if (pages) return 1 + (typeof pageSize === 'number' ? Math.max(pageSize, 0) : MAX_PAGE_SIZE) * childComplexity;
  // A connection's edges are already counted by its page size.
  if (type.name.endsWith('Connection')) return 1 + childComplexity;
  if (isListType(getNullableType(field.type)) && getNamedType(field.type) !== field.type) {
    return 1 + (LIST_SIZE[`${type.name}.${field.name}`] ?? DEFAULT_LIST_SIZE) * childComplexity;
  }
  return 1 + childComplexity;
}

/** Costs remembered per document (Yoga's parse cache hands back the same DocumentNode for the same text). */
const MAX_COSTS_PER_DOCUMENT = 100;

/** Arguments whose variables change a document's cost: page sizes, and @include/@skip conditions. */
const COST_ARGUMENTS = new Set(['first', 'last', 'if']);

/** The variables a document's cost depends on (most documents: none). */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument: (node) => {
      if (COST_ARGUMENTS.has(node.name.value) && node.value.kind === Kind.VARIABLE) names.add(node.value.name.value);
    },
  });
  return [...names];
}

interface DocumentCosts {
  variables: string[];
  byKey: Map<string, number>;
}

/** Cost and page-size checks at the end of validation, with the request's variables. */
function useCostLimit(maxCost: number): Plugin {
  // Walking the document costs about 3% of a request's CPU (`npm run bench` profile); the cost
  // depends only on the document, the operation and the few variables that size its lists, so it is
  // computed once for each (a batch of 100 federation representations does not make a new key).
  const costs = new WeakMap<DocumentNode, DocumentCosts>();
  return {
    onValidate({ params, context }) {
      return ({ valid, setResult }) => {
        if (!valid) return;
        const request = (context as { params?: { variables?: Record<string, unknown>; operationName?: string } }).params;
        try {
          let known = costs.get(params.documentAST);
          if (!known) costs.set(params.documentAST, (known = { variables: costVariables(params.documentAST), byKey: new Map() }));
          const key = `${request?.operationName ?? ''}\n${known.variables.map((name) => JSON.stringify(request?.variables?.[name] ?? null)).join(',')}`;
          let cost = known.byKey.get(key);
          if (cost === undefined) {
            cost = getComplexity({
              schema: params.schema,
              query: params.documentAST,
              variables: request?.variables ?? {},
              ...(request?.operationName ? { operationName: request.operationName } : {}),
              estimators: [fieldCost],
            });
            if (known.byKey.size < MAX_COSTS_PER_DOCUMENT) known.byKey.set(key, cost);
          }
          if (cost > maxCost) setResult([limitExceeded(`Query cost ${cost} exceeds the limit of ${maxCost}; ask for fewer items (first/last) or fewer fields.`)]);
        } catch (error) {
          // Bad variable values are reported by execution with their own message. (Duck-typed:
          // graphql-query-complexity may load the other module build of graphql.)
          const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
          if (code === ErrorCode.BAD_USER_INPUT) {
            const { message, extensions } = error as GraphQLError;
            setResult([new GraphQLError(message, { extensions: { ...extensions, http: { status: 400 } } })]);
          }
        }
      };
    },
  };
}

/** Reads at most `max` bytes of a body; undefined when it is longer. */
async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<string | undefined> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** 413 for bodies over `max` bytes: at once from Content-Length, else while reading. */
function useBodyLimit(max: number): Plugin {
  const tooLarge = () => errorResponse(413, ErrorCode.LIMIT_EXCEEDED, `Request body exceeds the limit of ${max} bytes.`);
  return {
    onRequestParse({ request, requestParser, setRequestParser, endResponse }) {
      if (request.method !== 'POST') return;
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        // One non-negative integer only: a list of values is a request-smuggling attempt.
        if (!/^\d+$/.test(declared)) endResponse(errorResponse(400, ErrorCode.BAD_USER_INPUT, 'Invalid Content-Length header.'));
        else if (Number(declared) > max) endResponse(tooLarge());
        return;
      }
      if (!requestParser) return;
      setRequestParser(async (original) => {
        const text = await readCapped(original.body, max);
        if (text === undefined) return tooLarge();
        return requestParser(new Request(original.url, { method: 'POST', headers: original.headers, body: text }));
      });
    },
  };
}

/** Buckets kept at most; the least recently used go first. */
const MAX_BUCKETS = 50_000;

/**
 * Token bucket per API key (per client address without one): `perMinute` requests, refilled evenly.
 * Only a key this process has verified gets a bucket of its own; an unknown or made-up key counts
 * against its client's address, so inventing keys neither escapes the limit nor grows the buckets.
 */
export function useRateLimit(perMinute: number, endpoint: string): Plugin<Record<string, unknown>, { req?: { socket?: { remoteAddress?: string } } }> {
  // A bucket left alone for a minute is full again, so forgetting it then changes nothing.
  const buckets = new LRUCache<string, { tokens: number; at: number }>({ max: MAX_BUCKETS, ttl: 60_000 });
  const refillPerMs = perMinute / 60_000;
  return {
    onRequest({ request, url, serverContext, endResponse }) {
      if (url.pathname !== endpoint) return;
      const key = presentedApiKey(request.headers);
      const who = key && knownCaller(key) ? `key:${hashApiKey(key)}` : `ip:${serverContext.req?.socket?.remoteAddress ?? 'local'}`;
      const now = Date.now();
      const bucket = buckets.get(who) ?? { tokens: perMinute, at: now };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * refillPerMs);
      bucket.at = now;
      buckets.set(who, bucket);
      if (bucket.tokens < 1) {
        const retryAfter = Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
        endResponse(errorResponse(429, ErrorCode.RATE_LIMITED, `Rate limit of ${perMinute} requests per minute exceeded; retry in ${retryAfter} s.`, { 'retry-after': String(retryAfter) }));
        return;
      }
      bucket.tokens -= 1;
    },
  };
}

/**
 * Names starting with "__" are reserved for introspection (GraphQL spec, section 2.1.9). A fragment
 * named `__schema` has been used to slip deep queries past depth limits that skip introspection.
 */
function ReservedNamesRule(context: ValidationContext): ASTVisitor {
  const check = (kind: string, node: { name?: NameNode | undefined }) => {
    const name = node.name?.value;
    if (name?.startsWith('__')) context.reportError(new GraphQLError(`The ${kind} name "${name}" is reserved: names starting with "__" belong to introspection.`, { nodes: node.name, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } }));
  };
  return {
    FragmentDefinition: (node) => check('fragment', node),
    OperationDefinition: (node) => check('operation', node),
    VariableDefinition: (node) => check('variable', node.variable),
  };
}

function useReservedNames(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(ReservedNamesRule);
    },
  };
}

/**
 * A non-string operationName is a bad request (400) whatever the Accept header; Yoga answers 200
 * for application/json (graphql-http audit 6C00).
 */
function useParamTypes(): Plugin {
  return {
    onParams({ params, setResult }) {
      const name: unknown = params.operationName;
      if (name !== undefined && name !== null && typeof name !== 'string') {
        setResult({ errors: [new GraphQLError('Invalid "operationName": expected a string.', { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } })] });
      }
    },
  };
}

export function limitPlugins(options: LimitOptions, endpoint: string): Plugin[] {
  // Armor throws its rejections out of validation (a 200 with an uncoded error); report them as
  // validation errors instead: 400, LIMIT_EXCEEDED. Tokens are counted by the parser (a syntax error, 400).
  const report = {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: ErrorCode.LIMIT_EXCEEDED, http: { status: 400 } } }));
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
  if (options.rateLimitPerMinute > 0) plugins.push(useRateLimit(options.rateLimitPerMinute, endpoint) as Plugin);
  if (options.csrfPrevention) plugins.push(useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'x-api-key', 'authorization'] }));
  if (!options.introspection) plugins.push(useDisableIntrospection());
  plugins.push(useReservedNames(), ...(armor.plugins as Plugin[]), useCostLimit(options.maxCost));
  return plugins;
}

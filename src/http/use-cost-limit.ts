// The cost limit: a document's cost is the sum over its fields of 1 plus what each field's
// selection costs times the items it can return, as each field declares it (Pothos's complexity
// plugin: `complexity` on the field; a page's size for paged fields, which refuse pages over the
// limit here). Computed at the end of validation, before any SQL, once per document, operation and
// the few variables that size its lists; a document over the limit gets 400 LIMIT_EXCEEDED.
import { createComplexityRule } from '@pothos/plugin-complexity';
import { GraphQLError, Kind, validate, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode, limitExceeded } from '../errors.js';

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
  byKey: Map<string, number | undefined>;
}

interface RequestParams {
  variables?: Record<string, unknown>;
  operationName?: string;
}

export function useCostLimit(maxCost: number): Plugin {
  const costs = new WeakMap<DocumentNode, DocumentCosts>();
  return {
    onValidate({ params, context }) {
      return ({ valid, setResult }) => {
        if (!valid) return;
        const request = (context as { params?: RequestParams }).params;
        try {
          let known = costs.get(params.documentAST);
          if (!known) {
            known = { variables: costVariables(params.documentAST), byKey: new Map() };
            costs.set(params.documentAST, known);
          }
          const key = `${request?.operationName ?? ''}\n${known.variables.map((name) => JSON.stringify(request?.variables?.[name] ?? null)).join(',')}`;
          let cost = known.byKey.get(key);
          if (!known.byKey.has(key)) {
            cost = undefined;
            // Bad variable values (reported by this rule) are left for execution to report in its own words.
            validate(params.schema, params.documentAST, [
              createComplexityRule({
                context: {},
                variableValues: request?.variables ?? {},
                operationName: request?.operationName ?? null,
                onResult: (result) => {
                  cost = result.complexity;
                },
              }),
            ]);
            if (known.byKey.size < MAX_COSTS_PER_DOCUMENT) known.byKey.set(key, cost);
          }
          if (cost !== undefined && cost > maxCost) {
            setResult([
              limitExceeded(
                `Query cost ${cost} exceeds the limit of ${maxCost}; ask for fewer items (first/last) or fewer fields.`,
              ),
            ]);
          }
        } catch (error) {
          // A page size over the limit, thrown by the field's complexity (pagedComplexity). Duck-typed:
          // a library may load the other module build of graphql.
          const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
          if (code !== ErrorCode.BAD_USER_INPUT) throw error;
          const { message, extensions } = error as GraphQLError;
          setResult([new GraphQLError(message, { extensions: { ...extensions, http: { status: 400 } } })]);
        }
      };
    },
  };
}

// Names starting with "__" belong to introspection; documents may not name their own that way.
import { GraphQLError, type ASTVisitor, type NameNode, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Names starting with "__" are reserved for introspection (GraphQL spec, section 2.1.9). A fragment
 * named `__schema` has been used to slip deep queries past depth limits that skip introspection.
 */
function ReservedNamesRule(context: ValidationContext): ASTVisitor {
  const check = (kind: string, node: { name?: NameNode | undefined }) => {
    const name = node.name?.value;
    if (name?.startsWith('__'))
      context.reportError(
        new GraphQLError(`The ${kind} name "${name}" is reserved: names starting with "__" belong to introspection.`, {
          nodes: node.name,
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
        }),
      );
  };
  return {
    FragmentDefinition: (node) => check('fragment', node),
    OperationDefinition: (node) => check('operation', node),
    VariableDefinition: (node) => check('variable', node.variable),
  };
}

export function useReservedNames(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(ReservedNamesRule);
    },
  };
}

// Every text a request hands to GraphQL arguments, checked once, here, before any resolver runs:
// no NUL (U+0000), which a PostgreSQL text value cannot hold, and no unpaired UTF-16 surrogate,
// which has no UTF-8 form. Either is a BAD_USER_INPUT naming the argument (e.g. `filter.codePrefix`),
// never a database error. Literals are found once per document; variables are checked per request.
import { type GraphQLError, Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badUserInput } from '../errors.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this refuses (Postgres text cannot hold it).
const ILL_FORMED = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface DocumentTexts {
  /** Arguments whose literal text is ill-formed. */
  badLiterals: string[];
  /** Variable name → the first argument it is passed to. */
  argumentOfVariable: Map<string, string>;
}

function inspect(document: DocumentNode): DocumentTexts {
  const badLiterals: string[] = [];
  const argumentOfVariable = new Map<string, string>();
  const walk = (value: ValueNode, path: string): void => {
    switch (value.kind) {
      case Kind.STRING:
        if (ILL_FORMED.test(value.value)) badLiterals.push(path);
        break;
      case Kind.LIST:
        for (const item of value.values) walk(item, path);
        break;
      case Kind.OBJECT:
        for (const field of value.fields) walk(field.value, `${path}.${field.name.value}`);
        break;
      case Kind.VARIABLE:
        if (!argumentOfVariable.has(value.name.value)) argumentOfVariable.set(value.name.value, path);
        break;
      default:
    }
  };
  visit(document, { Argument: (node) => walk(node.value, node.name.value) });
  return { badLiterals, argumentOfVariable };
}

/** The path below `path` of the first ill-formed string in a variable's value, if any. */
function illFormedIn(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return ILL_FORMED.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = illFormedIn(item, path);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [name, field] of Object.entries(value)) {
      const found = illFormedIn(field, `${path}.${name}`);
      if (found) return found;
    }
  }
  return undefined;
}

function refusal(argument: string): GraphQLError {
  return badUserInput(argument, 'must not contain NUL characters (U+0000) or unpaired UTF-16 surrogates.', {
    http: { status: 400 },
  });
}

export function useWellFormedText(): Plugin {
  const documents = new WeakMap<DocumentNode, DocumentTexts>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      let texts = documents.get(args.document);
      if (!texts) {
        texts = inspect(args.document);
        documents.set(args.document, texts);
      }
      const literal = texts.badLiterals[0];
      if (literal) {
        setResultAndStopExecution({ errors: [refusal(literal)] });
        return;
      }
      for (const [name, value] of Object.entries(args.variableValues ?? {})) {
        const argument = texts.argumentOfVariable.get(name) ?? `$${name}`;
        const found = illFormedIn(value, argument);
        if (found) {
          setResultAndStopExecution({ errors: [refusal(found)] });
          return;
        }
      }
    },
  };
}

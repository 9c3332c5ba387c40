// Every argument of the schema (read from the schema itself, not a hand-picked list), and every
// field of every input object below it, given hostile values one at a time: NUL characters, lone
// surrogates, very long text, made-up IDs (a number past 64 bits, a NUL inside), numbers past 32
// and 64 bits, impossible dates. Sent as variables and, for text, as literals, with a steward key so
// mutations get past authorization. None may get a 5xx, an INTERNAL_SERVER_ERROR or an error line
// in the log: each is refused as the bad input it is.
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.js';
import { schema } from '../../src/graphql/schema.js';
import { createRefgraphYoga } from '../../src/yoga.js';
import { useTestDatabase } from '../support/database.js';

const logLines: { level: number; msg: string }[] = [];
const yoga = createRefgraphYoga({
  logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) }),
});
let steward: string;

const id = (raw: string) => Buffer.from(raw, 'utf8').toString('base64');
const HOSTILE_TEXT = [
  'A\u0000',
  '\u0000',
  'pet\uD800tumor',
  '\uDC00',
  'x'.repeat(20_000),
  "'; DROP TABLE code; --",
  '\u202E\uFEFF',
];
const HOSTILE_IDS = [
  id('Code:999999999999999999999'),
  id('Code:A\u0000'),
  id('Code:-1'),
  id('Code:1.5'),
  id('Payer:18446744073709551616'),
  id('Nope:1'),
  '!!!',
  id('PlaceOfService:\u0000'),
  id(':'),
];
const HOSTILE_NUMBERS = [2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 64, 1e300, -0.5];
const HOSTILE_DATES = [
  '\u0000',
  '99999-99-99',
  '2025-02-30',
  '0000-00-00T00:00:00Z',
  '2025-01-01T25:61:00Z',
  'x'.repeat(5_000),
];

/** A valid-looking value of a type, for the arguments not under test. */
function plain(type: GraphQLInputType): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [plain(nullable.ofType)];
  if (isEnumType(nullable)) return nullable.getValues()[0]!.value;
  if (isInputObjectType(nullable)) {
    return Object.fromEntries(
      Object.values(nullable.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, plain(field.type)]),
    );
  }
  switch (nullable.name) {
    case 'Int':
      return 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return true;
    case 'ID':
      return id('CoverageNote:1');
    case 'Date':
      return '2025-01-01';
    case 'DateTime':
      return '2025-01-01T00:00:00Z';
    case 'JSON':
      return {};
    default:
      return 'A9597';
  }
}

/** Hostile values for a scalar type. */
function hostile(type: GraphQLInputType): unknown[] {
  const named = getNamedType(type);
  if (isEnumType(named)) return ['NOPE\u0000', 42];
  if (!isScalarType(named)) return [];
  switch (named.name) {
    case 'Int':
    case 'Float':
      return HOSTILE_NUMBERS;
    case 'ID':
      return [...HOSTILE_IDS, ...HOSTILE_TEXT];
    case 'Date':
    case 'DateTime':
      return HOSTILE_DATES;
    case 'Boolean':
      return ['true\u0000'];
    case '_Any':
      return [
        'A9597',
        {},
        [1],
        { __typename: 5 },
        { __typename: 'Code' },
        { __typename: 'Code', code: 5 },
        { __typename: 'Code', code: 'A9597', releaseName: ['x'] },
        { __typename: 'Code', code: 'A\u0000' },
        { __typename: 'Payer' },
        { __typename: 'Payer', id: 7 },
        { __typename: 'Payer', slug: { a: 1 } },
        { __typename: 'Modifier', code: null },
        { __typename: 'PlaceOfService', code: 'x'.repeat(20_000) },
        { __typename: 'CoverageNote', id: 1 },
      ];
    default:
      return HOSTILE_TEXT;
  }
}

/** Every path to a scalar inside an argument's type: [] for the argument itself, [field, ...] inside input objects. */
function scalarPaths(type: GraphQLInputType, seen = new Set<string>()): { path: string[]; type: GraphQLInputType }[] {
  const named = getNamedType(type);
  if (!isInputObjectType(named)) return [{ path: [], type }];
  if (seen.has(named.name)) return [];
  return Object.values(named.getFields()).flatMap((field) =>
    scalarPaths(field.type, new Set([...seen, named.name])).map((inner) => ({
      path: [field.name, ...inner.path],
      type: inner.type,
    })),
  );
}

/** `value` placed at `path` inside a plain value of `type` (lists wrap it as one item). */
function withValueAt(type: GraphQLInputType, path: string[], value: unknown): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [withValueAt(nullable.ofType, path, value)];
  if (path.length === 0) return value;
  const named = getNamedType(nullable);
  if (!isInputObjectType(named)) return value;
  const base = (plain(named) ?? {}) as Record<string, unknown>;
  const field = named.getFields()[path[0]!]!;
  return { ...base, [path[0]!]: withValueAt(field.type, path.slice(1), value) };
}

function printType(type: GraphQLInputType): string {
  return String(type);
}

interface Case {
  label: string;
  body: { query: string; variables: Record<string, unknown> };
}

/** One request per (field, argument, scalar inside it, hostile value). */
function cases(): Case[] {
  const result: Case[] = [];
  const roots = [
    { keyword: 'query', type: schema.getQueryType()! },
    { keyword: 'mutation', type: schema.getMutationType()! },
  ];
  const visitField = (
    keyword: string,
    wrap: (inner: string) => string,
    field: GraphQLField<unknown, unknown>,
    owner: string,
  ) => {
    const selection =
      isObjectType(getNamedType(field.type)) ||
      (!isScalarType(getNamedType(field.type)) && !isEnumType(getNamedType(field.type)))
        ? ' { __typename }'
        : '';
    for (const argument of field.args as GraphQLArgument[]) {
      for (const { path, type } of scalarPaths(argument.type)) {
        for (const value of hostile(type)) {
          const variables: Record<string, unknown> = {};
          const definitions: string[] = [];
          const passed: string[] = [];
          for (const other of field.args) {
            if (other !== argument && !isNonNullType(other.type)) continue;
            definitions.push(`$${other.name}: ${printType(other.type)}`);
            passed.push(`${other.name}: $${other.name}`);
            variables[other.name] = other === argument ? withValueAt(argument.type, path, value) : plain(other.type);
          }
          const call = `${field.name}(${passed.join(', ')})${selection}`;
          result.push({
            label: `${owner}.${field.name}(${[argument.name, ...path].join('.')}) = ${JSON.stringify(value).slice(0, 30)}`,
            body: { query: `${keyword} (${definitions.join(', ')}) { ${wrap(call)} }`, variables },
          });
        }
      }
    }
  };
  for (const { keyword, type } of roots) {
    for (const field of Object.values(type.getFields())) visitField(keyword, (inner) => inner, field, type.name);
  }
  // Fields with arguments below the root (Code.coverage, ...), reached through code(code: "A9597").
  const code = schema.getQueryType()!.getFields().code!;
  for (const field of Object.values((getNamedType(code.type) as import('graphql').GraphQLObjectType).getFields())) {
    if (field.args.length > 0) visitField('query', (inner) => `code(code: "A9597") { ${inner} }`, field, 'Code');
  }
  return result;
}

beforeAll(async () => {
  const { db } = await useTestDatabase();
  steward = (await createApiKey(db, 'fuzz steward', ['admin'])).key;
});

async function send(
  body: unknown,
): Promise<{ status: number; errors: { message: string; extensions?: Record<string, unknown> }[] }> {
  const response = await yoga.fetch('http://refgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', 'x-api-key': steward },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
  return { status: response.status, errors: parsed.errors ?? [] };
}

describe('hostile values in every argument of the schema', () => {
  it('never answers 5xx or INTERNAL_SERVER_ERROR, and logs no error', async () => {
    const all = cases();
    // Every argument-taking field is covered, at least these the outside tester named.
    for (const field of [
      'Query.search(text)',
      'Query.codes(filter.codePrefix)',
      'Query.codes(filter.release)',
      'Query.codes(filter.hasCoverage.payer)',
      'Query.changes(from)',
      'Query.briefing(payers)',
      'Code.coverage(payers)',
      'Query.node(id)',
      'Mutation.reviseCoverageNote(input.summary)',
      'Mutation.retireCoverageNote(reason)',
    ]) {
      expect(
        all.some((one) => one.label.startsWith(field)),
        field,
      ).toBe(true);
    }
    expect(all.length).toBeGreaterThan(500);
    console.log(`hostile argument values: ${all.length} requests`);
    const failures: string[] = [];
    for (const one of all) {
      const { status, errors } = await send(one.body);
      if (
        status >= 500 ||
        errors.some(
          (error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR' || error.message === 'Unexpected error.',
        )
      ) {
        failures.push(`${one.label}: ${status} ${JSON.stringify(errors).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(logLines.filter((line) => line.level >= 50)).toEqual([]);
  }, 600_000);

  it('names the argument of a NUL or a lone surrogate, in variables and in literals', async () => {
    const refused = (argument: string) => [
      {
        message: `Argument "${argument}" must not contain NUL characters (U+0000) or unpaired UTF-16 surrogates.`,
        extensions: { code: 'BAD_USER_INPUT', argument },
      },
    ];
    expect(
      await send({ query: 'query ($t: String!) { search(text: $t) { code } }', variables: { t: 'pet\u0000' } }),
    ).toEqual({ status: 400, errors: refused('text') });
    expect(await send({ query: '{ search(text: "pet\\u0000") { code } }' })).toEqual({
      status: 400,
      errors: refused('text'),
    });
    // A lone surrogate cannot even be written as a GraphQL literal: the parser refuses it.
    const literal = await send({ query: '{ search(text: "pet\\ud800") { code } }' });
    expect(literal.status).toBe(400);
    expect(literal.errors[0]!.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
    expect(
      await send({ query: 'query ($t: String!) { search(text: $t) { code } }', variables: { t: 'pet\udc00' } }),
    ).toEqual({ status: 400, errors: refused('text') });
    expect(await send({ query: '{ codes(first: 1, filter: { codePrefix: "A\\u0000" }) { totalCount } }' })).toEqual({
      status: 400,
      errors: refused('filter.codePrefix'),
    });
    expect(
      await send({
        query: 'query ($f: CodeFilter) { codes(first: 1, filter: $f) { totalCount } }',
        variables: { f: { hasCoverage: { payer: 'aetna\u0000' } } },
      }),
    ).toEqual({ status: 400, errors: refused('filter.hasCoverage.payer') });
    expect(await send({ query: '{ code(code: "A9597") { coverage(payers: ["x", "\\u0000"]) { status } } }' })).toEqual({
      status: 400,
      errors: refused('payers'),
    });
  });

  it('refuses made-up IDs as BAD_USER_INPUT naming the argument', async () => {
    for (const made of [
      id('Code:999999999999999999999'),
      id('Code:A\u0000'),
      id('PlaceOfService:\u0000'),
      id('Release:abc'),
      'not base64 at all',
    ]) {
      const { status, errors } = await send({
        query: 'query ($id: ID!) { node(id: $id) { id } }',
        variables: { id: made },
      });
      expect(status).toBeLessThan(500);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
    }
    const ok = await send({
      query: 'query ($id: ID!) { node(id: $id) { id } }',
      variables: { id: id('Code:2147483647') },
    });
    expect(ok).toEqual({ status: 200, errors: [] });
  });
});

// Apollo Federation entities: the keys other subgraphs reference refgraph's types by, and how
// those references are resolved. The gateway sends every reference of a plan in one `_entities`
// call; each type's references are gathered per request and loaded with one SQL statement (per
// HCPCS release for codes), so 100 representations cost what one does. Unknown keys give null.
import { queryFromInfo } from '@pothos/plugin-prisma';
import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { prisma } from '../db/client.js';
import { releaseInForce, releaseNamed } from '../db/releases.js';
import type { CodeVersion } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { codesInRelease } from './code-rows.js';
import { badUserInput } from '../errors.js';
import type { Context } from './context.js';
import { Code } from './types/code.js';
import { Modifier } from './types/modifier.js';
import { Payer, payerKey } from './types/payer.js';
import { PlaceOfService } from './types/place-of-service.js';
import { groupBy } from '../group-by.js';

type PrismaQuery = { select?: Record<string, unknown>; include?: Record<string, unknown> };

/** Per request (context) and `_entities` response key: one loader per type. */
const loadersByContext = new WeakMap<object, Map<string, DataLoader<string, unknown>>>();

/**
 * Resolves one reference through a loader shared by every reference of the same type in the same
 * `_entities` field. `load` receives all the keys at once and the Prisma query the client's
 * selection needs (plus `select`, the columns used to match rows to keys).
 */
function loadReference<Row>(
  context: Context,
  info: GraphQLResolveInfo,
  typeName: string,
  key: string,
  select: Record<string, true>,
  load: (keys: readonly string[], query: PrismaQuery) => Promise<Map<string, Row>>,
): Promise<Row | null> {
  let loaders = loadersByContext.get(context);
  if (!loaders) {
    loaders = new Map();
    loadersByContext.set(context, loaders);
  }
  const loaderKey = `${info.path.key}:${typeName}`;
  let loader = loaders.get(loaderKey) as DataLoader<string, Row | null> | undefined;
  if (!loader) {
    const query = queryFromInfo({ context, info, typeName, select }) as PrismaQuery;
    loader = new DataLoader<string, Row | null>(async (keys) => {
      const rows = await load(keys, query);
      return keys.map((k) => rows.get(k) ?? null);
    });
    loaders.set(loaderKey, loader as DataLoader<string, unknown>);
  }
  return loader.load(key);
}

/**
 * A key field of a representation: a string, or (when `optional`) absent. Representations come
 * from a gateway, so a malformed one is a bad request, not a server error.
 */
function keyField(reference: Record<string, unknown>, typename: string, field: string, optional = false): string {
  const value = reference[field];
  if (typeof value === 'string') return value;
  if (optional && value == null) return '';
  throw badUserInput(
    'representations',
    `a ${typename} representation needs "${field}" as a string (got ${JSON.stringify(value) ?? 'nothing'})`,
  );
}

/** `code` alone means the release in force today; `code releaseName` pins one HCPCS release. */
type CodeKey = { code: string; releaseName?: string | null };
const KEY_SEPARATOR = '\u0000';

/**
 * The versions of `codes` in the HCPCS release named `releaseName` (or, when it is empty, the one in
 * force today): one statement for the rows, the release itself being remembered per data version.
 */
async function versionsIn(
  context: Context,
  releaseName: string,
  codes: string[],
  query: PrismaQuery,
): Promise<CodeVersion[]> {
  const release = releaseName
    ? await releaseNamed(prisma(), 'HCPCS', releaseName)
    : await releaseInForce(prisma(), 'HCPCS');
  return release ? codesInRelease(context.codeRows, release.id, codes, query) : [];
}

builder.asEntity(Code, {
  key: [
    builder.selection<{ code: string }>('code'),
    builder.selection<{ code: string; releaseName: string }>('code releaseName'),
  ],
  resolveReference: (reference: CodeKey, context, info) =>
    loadReference<CodeVersion>(
      context,
      info,
      'Code',
      `${keyField(reference, 'Code', 'releaseName', true)}${KEY_SEPARATOR}${keyField(reference, 'Code', 'code').trim().toUpperCase()}`,
      { code: true },
      async (keys, query) => {
        const byRelease = groupBy(
          keys.map((key) => key.split(KEY_SEPARATOR)),
          ([releaseName = '']) => releaseName,
          ([, code = '']) => code,
        );
        const found = new Map<string, CodeVersion>();
        for (const [releaseName, codes] of byRelease) {
          for (const version of await versionsIn(context, releaseName, codes, query))
            found.set(`${releaseName}${KEY_SEPARATOR}${version.code}`, version);
        }
        return found;
      },
    ),
});

/**
 * The loader key of a reference by `id`: only a Payer's global ID names a payer; anything else
 * (a slug, another type's ID, garbage) names none and resolves to null, not an error.
 */
function payerIdLoaderKey(id: string): string {
  try {
    const key = payerKey(id, 'id');
    return 'id' in key ? `id:${key.id}` : 'id:';
  } catch {
    return 'id:';
  }
}

/** Payers by their slug (e.g. aetna) or by their global ID. */
builder.asEntity(Payer, {
  key: [builder.selection<{ slug: string }>('slug'), builder.selection<{ id: string }>('id')],
  resolveReference: (reference: { slug?: string; id?: string }, context, info) => {
    const key =
      reference.id !== undefined
        ? payerIdLoaderKey(keyField(reference, 'Payer', 'id'))
        : `slug:${keyField(reference, 'Payer', 'slug').toLowerCase()}`;
    return loadReference(context, info, 'Payer', key, { id: true, slug: true }, async (keys, query) => {
      const ids = keys
        .filter((k) => k.startsWith('id:'))
        .map((k) => Number(k.slice(3)))
        .filter(Number.isInteger);
      const slugs = keys.filter((k) => k.startsWith('slug:')).map((k) => k.slice(5));
      const payers = await prisma().payer.findMany({
        ...query,
        where: { OR: [{ id: { in: ids } }, { slug: { in: slugs } }] },
      });
      const found = new Map<string, (typeof payers)[number]>();
      for (const payer of payers) {
        found.set(`id:${payer.id}`, payer);
        found.set(`slug:${payer.slug}`, payer);
      }
      return found;
    });
  },
});

builder.asEntity(Modifier, {
  key: builder.selection<{ code: string }>('code'),
  resolveReference: (reference, context, info) =>
    loadReference(
      context,
      info,
      'Modifier',
      keyField(reference, 'Modifier', 'code').trim().toUpperCase(),
      { code: true },
      async (codes, query) => {
        const modifiers = await prisma().modifier.findMany({ ...query, where: { code: { in: [...codes] } } });
        return new Map(modifiers.map((modifier) => [modifier.code, modifier]));
      },
    ),
});

builder.asEntity(PlaceOfService, {
  key: builder.selection<{ code: string }>('code'),
  resolveReference: (reference, context, info) =>
    loadReference(
      context,
      info,
      'PlaceOfService',
      keyField(reference, 'PlaceOfService', 'code').trim(),
      { code: true },
      async (codes, query) => {
        const places = await prisma().placeOfService.findMany({ ...query, where: { code: { in: [...codes] } } });
        return new Map(places.map((place) => [place.code, place]));
      },
    ),
});

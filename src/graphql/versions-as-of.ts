// Modifiers, places of service and taxonomies "as of" a date. Their rows hold the newest values;
// each release that carried an entry also left a version of it (modifier_version, ...). Asked as
// of a date, an entry answers with its version in the release in force then (src/db/releases.ts),
// and is absent when that release did not carry it (or, for a modifier, added it later). Entries
// no release carries (curated ones, such as CPT modifier 26: release null) answer as they are.
//
// An entry as of a date is a new object: the loaded row with its version's values (and release)
// in place of the newest ones, so the domain types keep reading their own fields. The versions
// are gathered per request (every code of a page asked as of a date shares the statements): the
// release in force, its versions of the entries asked, and the release row.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { prisma } from '../db/client.js';
import { releaseInForce } from '../db/releases.js';
import type { CodeSystemKind } from '../generated/prisma/enums.js';
import type { Context } from './context.js';
import { groupBy } from '../group-by.js';

type Versioned = { releaseId: number | null; release?: unknown };

interface VersionSource<Key> {
  system: CodeSystemKind;
  key(row: object): Key;
  versions(keys: Key[], releaseId: number): Promise<object[]>;
  versionKey(version: object): Key;
  /** The fields a version gives (the same names as on the row). */
  fields: readonly string[];
}

const MODIFIER: VersionSource<number> = {
  system: 'MODIFIER',
  key: (row) => (row as { id: number }).id,
  versions: (ids, releaseId) => prisma().modifierVersion.findMany({ where: { modifierId: { in: ids }, releaseId } }),
  versionKey: (v) => (v as { modifierId: number }).modifierId,
  fields: [
    'longDescription',
    'shortDescription',
    'coverageCode',
    'processingNote',
    'addDate',
    'actionEffectiveDate',
    'terminationDate',
    'actionCode',
  ],
};

const PLACE_OF_SERVICE: VersionSource<string> = {
  system: 'PLACE_OF_SERVICE',
  key: (row) => (row as { code: string }).code,
  versions: (codes, releaseId) =>
    prisma().placeOfServiceVersion.findMany({ where: { code: { in: codes }, releaseId } }),
  versionKey: (v) => (v as { code: string }).code,
  fields: ['name', 'description', 'assigned'],
};

const TAXONOMY: VersionSource<string> = {
  system: 'TAXONOMY',
  key: (row) => (row as { code: string }).code,
  versions: (codes, releaseId) => prisma().taxonomyVersion.findMany({ where: { code: { in: codes }, releaseId } }),
  versionKey: (v) => (v as { code: string }).code,
  fields: ['grouping', 'classification', 'specialization', 'definition', 'notes', 'displayName', 'section'],
};

/** What the rows need loaded for asOf: add these to the Prisma selection of a select-mode type. */
export const AS_OF_KEYS = {
  MODIFIER: { id: true, releaseId: true },
  PLACE_OF_SERVICE: { code: true, releaseId: true },
  TAXONOMY: { code: true, releaseId: true },
} as const;

/** `query` (Pothos's planned Prisma arguments) with the columns asOf needs, in select mode. */
export function withAsOfKeys<Q extends object>(query: Q, keys: Record<string, true>): Q {
  if (!('select' in query) || !query.select) return query;
  return { ...query, select: { ...(query.select as object), ...keys } };
}

type Version = { releaseId: number; addDate?: Date | null } & Record<string, unknown>;

interface Found {
  version: Version | null;
  release: unknown;
}

/** Per request and code system: (entry key, asOf day) → its version in the release in force that day. */
const loaders = createContextCache(() => new Map<CodeSystemKind, DataLoader<string, Found>>());

function loaderFor<Key extends string | number>(
  context: Context,
  source: VersionSource<Key>,
): DataLoader<string, Found> {
  const bySystem = loaders(context);
  let loader = bySystem.get(source.system);
  if (!loader) {
    loader = new DataLoader<string, Found>(async (requests) => {
      const byDay = groupBy(
        requests.map((request) => JSON.parse(request) as [string, Key]),
        ([day]) => day,
        ([, key]) => key,
      );
      const found = new Map<string, Found>();
      for (const [day, keys] of byDay) {
        const release = await releaseInForce(prisma(), source.system, new Date(day));
        if (!release) continue;
        const [versions, releaseRow] = await Promise.all([
          source.versions(keys, release.id),
          prisma().release.findUnique({ where: { id: release.id }, include: { system: true } }),
        ]);
        for (const version of versions)
          found.set(JSON.stringify([day, source.versionKey(version)]), {
            version: version as Version,
            release: releaseRow,
          });
      }
      return requests.map((request) => found.get(request) ?? { version: null, release: null });
    });
    bySystem.set(source.system, loader);
  }
  return loader;
}

async function rowsAsOf<R extends Versioned, Key extends string | number>(
  context: Context,
  source: VersionSource<Key>,
  rows: R[],
  asOf: Date,
): Promise<R[]> {
  const day = asOf.toISOString().slice(0, 10);
  const loader = loaderFor(context, source);
  const answers = await Promise.all(
    rows.map(async (row): Promise<R | null> => {
      if (row.releaseId === null) return row;
      const { version, release } = await loader.load(JSON.stringify([day, source.key(row)]));
      if (!version || (version.addDate && version.addDate > asOf)) return null;
      const values = Object.fromEntries(source.fields.map((field) => [field, version[field]]));
      return { ...row, ...values, releaseId: version.releaseId, release };
    }),
  );
  return answers.filter((row): row is Awaited<R> => row !== null);
}

export const modifiersAsOf = <R extends Versioned>(context: Context, rows: R[], asOf: Date) =>
  rowsAsOf(context, MODIFIER, rows, asOf);
export const placesOfServiceAsOf = <R extends Versioned>(context: Context, rows: R[], asOf: Date) =>
  rowsAsOf(context, PLACE_OF_SERVICE, rows, asOf);
export const taxonomiesAsOf = <R extends Versioned>(context: Context, rows: R[], asOf: Date) =>
  rowsAsOf(context, TAXONOMY, rows, asOf);

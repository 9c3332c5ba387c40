// What changed between two releases of a code system (each keeps a snapshot per release: HCPCS,
// OPPS, modifiers, places of service, taxonomies). The comparison is the loader's own (src/db/release-diff.ts), run in SQL
// per page.
import { resolveCursorConnection } from '@pothos/plugin-relay';
import { prisma } from '../../db/client.js';
import { prismaSql } from '../../db/sql.js';
import {
  countChangesByKind,
  isSnapshotSystem,
  listChanges,
  SNAPSHOTS,
  type Change,
  type ChangeKind,
} from '../../db/release-diff.js';
import { pagedComplexity, MAX_PAGE_SIZE } from '../arguments.js';
import { builder } from '../builder.js';
import { badUserInput } from '../../errors.js';
import { CodeSystemKindEnum } from './release.js';

export const ChangeKindEnum = builder.enumType('ChangeKind', {
  description: 'How a code differs between two releases.',
  values: {
    ADDED: { description: 'In the newer release only.' },
    TERMINATED: {
      description: 'Given a termination date in the newer release (CMS keeps terminated codes in its files).',
    },
    REMOVED: { description: 'In the older release only.' },
    DESCRIPTION_CHANGED: { description: 'Its long or short description differs.' },
    ATTRIBUTES_CHANGED: { description: 'Other published fields differ (pricing, coverage, dates, ...).' },
  } as const,
});

interface Descriptions {
  shortDescription: string;
  longDescription: string;
}

const ChangeDescriptions = builder.objectRef<Descriptions>('ChangeDescriptions').implement({
  description: "A code's descriptions in one of the two releases compared.",
  fields: (t) => ({
    shortDescription: t.exposeString('shortDescription'),
    longDescription: t.exposeString('longDescription'),
  }),
});

function descriptions(short: string | null, long: string | null): Descriptions | null {
  return short === null || long === null ? null : { shortDescription: short, longDescription: long };
}

export const CodeChange = builder.objectRef<Change>('CodeChange').implement({
  description: 'One code that differs between two releases.',
  fields: (t) => ({
    code: t.exposeString('code'),
    kind: t.field({ type: ChangeKindEnum, resolve: (change) => change.kind }),
    changedFields: t.exposeStringList('changedFields', {
      description: 'Fields whose values differ (empty for ADDED and REMOVED).',
    }),
    before: t.field({
      type: ChangeDescriptions,
      nullable: true,
      description: 'Descriptions in the older release (null when the code was not in it, or the system has none).',
      resolve: (change) => descriptions(change.beforeShortDescription, change.beforeLongDescription),
    }),
    after: t.field({
      type: ChangeDescriptions,
      nullable: true,
      description: 'Descriptions in the newer release (null when the code is not in it, or the system has none).',
      resolve: (change) => descriptions(change.afterShortDescription, change.afterLongDescription),
    }),
  }),
});

interface KindCount {
  kind: ChangeKind;
  count: number;
}

const ChangeKindCount = builder.objectRef<KindCount>('ChangeKindCount').implement({
  description: 'How many codes changed in one way between the two releases.',
  fields: (t) => ({
    kind: t.field({ type: ChangeKindEnum, resolve: (count) => count.kind }),
    count: t.exposeInt('count'),
  }),
});

interface ChangesParent {
  /** The counts by kind, computed once per connection (totalCount is their sum). */
  counts(): Promise<KindCount[]>;
}
/** A page of changes with the releases it compares: totalCount and countsByKind count over them. */
type ScopedConnection = { scope: ChangesParent };
const scopeOf = (connection: object) => (connection as ScopedConnection).scope;

builder.queryField('changes', (t) =>
  t.connection(
    {
      type: CodeChange,
      complexity: (args) => pagedComplexity(args),
      description: 'What changed between two releases of a code system (by release name), in code order.',
      args: {
        system: t.arg({
          type: CodeSystemKindEnum,
          required: true,
          description: 'HCPCS, MODIFIER, PLACE_OF_SERVICE, TAXONOMY or OPPS (the systems kept release by release).',
        }),
        from: t.arg.string({ required: true, description: 'The older release, e.g. "2019".' }),
        to: t.arg.string({ required: true, description: 'The newer release, e.g. "2025-10".' }),
        kinds: t.arg({
          type: [ChangeKindEnum],
          required: false,
          description: 'Only changes of these kinds (all kinds when left out).',
        }),
      },
      resolve: async (_root, args) => {
        const system = args.system;
        if (!isSnapshotSystem(system)) {
          throw badUserInput(
            'system',
            `must be one of ${Object.keys(SNAPSHOTS).join(', ')}: ${system} keeps only the newest values, not one snapshot per release`,
          );
        }
        const releases = await prisma().release.findMany({
          where: { system: { kind: system }, name: { in: [args.from, args.to] } },
          select: { id: true, name: true },
        });
        const idOf = (argument: 'from' | 'to') => {
          const found = releases.find((r) => r.name === args[argument]);
          if (!found)
            throw badUserInput(argument, `names no ${system} release: "${args[argument].slice(0, 40)}" is not loaded`);
          return found.id;
        };
        const [fromId, toId] = [idOf('from'), idOf('to')];
        const kinds = args.kinds ?? null;
        let counted: Promise<KindCount[]> | undefined;
        const parent: ChangesParent = {
          counts: () => (counted ??= countChangesByKind(prismaSql(prisma()), system, fromId, toId, kinds)),
        };
        const connection = await resolveCursorConnection<Promise<Change[]>>(
          { args, toCursor: (change: Change) => change.code, defaultSize: 20, maxSize: MAX_PAGE_SIZE },
          (page): Promise<Change[]> => listChanges(prismaSql(prisma()), system, fromId, toId, page, kinds),
        );
        return { ...connection!, scope: parent };
      },
    },
    {
      name: 'CodeChangeConnection',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many codes changed in all (every page; of the kinds asked for).',
          resolve: async (connection) => (await scopeOf(connection).counts()).reduce((sum, k) => sum + k.count, 0),
        }),
        countsByKind: c.field({
          type: [ChangeKindCount],
          description:
            'How many codes changed in each way (every page), one entry per kind asked for, zeros included; with totalCount, one statement.',
          resolve: (connection) => scopeOf(connection).counts(),
        }),
      }),
    },
  ),
);

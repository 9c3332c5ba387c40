// Modifiers: the newest values (the modifier table), their history (one version per release
// that carried them), and a modifier as of a date (src/graphql/versions-as-of.ts).
import { ModifierSource } from '../../generated/prisma/enums.js';
import { prisma } from '../../db/client.js';
import { snapshotFieldNames } from '../../db/release-diff.js';
import { builder } from '../builder.js';
import { rowIdNode } from '../global-id.js';
import { badUserInput } from '../../errors.js';
import { changedFieldsField, HISTORY_ORDER, inHistoryOrder } from '../history.js';
import { AS_OF_KEYS, modifiersAsOf, withAsOfKeys } from '../versions-as-of.js';
import { MODIFIER_CODE } from '../../rules/code-patterns.js';

export const ModifierSourceEnum = builder.enumType(ModifierSource, { name: 'ModifierSource' });

const COMPARED = snapshotFieldNames('MODIFIER');

export const ModifierVersion = builder.prismaObject('ModifierVersion', {
  description: 'A modifier as one release gave it (an entry of `Modifier.history`).',
  select: {},
  fields: (t) => ({
    code: t.exposeString('code'),
    release: t.relation('release'),
    description: t.exposeString('longDescription'),
    shortDescription: t.exposeString('shortDescription', { nullable: true }),
    coverageCode: t.exposeString('coverageCode', { nullable: true }),
    addDate: t.expose('addDate', { type: 'Date', nullable: true }),
    terminationDate: t.expose('terminationDate', { type: 'Date', nullable: true }),
    actionCode: t.exposeString('actionCode', { nullable: true }),
    changedFields: t.stringList(changedFieldsField(COMPARED)),
  }),
});

export const Modifier = builder.prismaNode('Modifier', {
  id: rowIdNode,
  nullable: true,
  // Select mode: only the columns the query asks for are loaded.
  select: {},
  fields: (t) => ({
    code: t.exposeString('code'),
    source: t.expose('source', { type: ModifierSourceEnum }),
    description: t.exposeString('longDescription', {
      description: 'What the modifier means (CMS long description for Level II modifiers).',
    }),
    shortDescription: t.exposeString('shortDescription', { nullable: true }),
    coverageCode: t.exposeString('coverageCode', { nullable: true }),
    addDate: t.expose('addDate', { type: 'Date', nullable: true }),
    terminationDate: t.expose('terminationDate', { type: 'Date', nullable: true }),
    release: t.relation('release', { nullable: true }),
    provenance: t.string({
      description: 'Where the modifier comes from: a release name or a curation note.',
      select: { sourceNote: true, release: { select: { name: true, system: { select: { name: true } } } } },
      resolve: (m) => (m.release ? `${m.release.system.name} release ${m.release.name}` : (m.sourceNote ?? 'unknown')),
    }),
    history: t.field({
      // A release a quarter at most: twenty is years of history.
      complexity: { field: 1, multiplier: 20 },
      type: [ModifierVersion],
      description: 'The modifier as each release that carried it gave it, oldest first (empty for a curated modifier).',
      select: (_args, _ctx, nestedSelection) => ({ versions: nestedSelection({ orderBy: HISTORY_ORDER }) }),
      resolve: (m) => inHistoryOrder(m.versions),
    }),
  }),
});

export const CodeModifier = builder.prismaObject('CodeModifier', {
  name: 'CodeModifier',
  description: 'A modifier that applies to a code, with guidance on when to use it.',
  // Select mode: only the columns the query asks for are loaded.
  select: {},
  fields: (t) => ({
    modifier: t.relation('modifier'),
    whenToUse: t.exposeString('whenToUse'),
    source: t.exposeString('source'),
  }),
});

builder.queryField('modifier', (t) =>
  t.prismaField({
    type: Modifier,
    nullable: true,
    description:
      'A modifier by its two-character code (e.g. TC, 26): its newest values, or as the release in force on asOf gave it; ' +
      'null when unknown (then).',
    args: {
      code: t.arg.string({ required: true }),
      asOf: t.arg({
        type: 'Date',
        required: false,
        description: 'Answer as the modifier stood on this date (null if no release in force then carried it).',
      }),
    },
    resolve: async (query, _root, args, context) => {
      const code = args.code.trim().toUpperCase();
      if (!MODIFIER_CODE.test(code))
        throw badUserInput(
          'code',
          `must be a two-character modifier such as TC or 26 (got "${args.code.slice(0, 20)}")`,
        );
      if (!args.asOf) return prisma().modifier.findUnique({ ...query, where: { code } });
      const row = await prisma().modifier.findUnique({ ...withAsOfKeys(query, AS_OF_KEYS.MODIFIER), where: { code } });
      return row ? ((await modifiersAsOf(context, [row], args.asOf))[0] ?? null) : null;
    },
  }),
);

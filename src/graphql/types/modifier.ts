import { ModifierSource } from '../../generated/prisma/enums.js';
import { prisma } from '../../db/client.js';
import { builder } from '../builder.js';
import { rowIdNode } from '../global-id.js';
import { badUserInput } from '../../errors.js';

export const ModifierSourceEnum = builder.enumType(ModifierSource, { name: 'ModifierSource' });

const MODIFIER_CODE = /^[A-Z0-9]{2}$/;

export const Modifier = builder.prismaNode('Modifier', {
  id: rowIdNode,
  nullable: true,
  // Select mode: only the columns the query asks for are loaded.
  select: {},
  fields: (t) => ({
    code: t.exposeString('code'),
    source: t.expose('source', { type: ModifierSourceEnum }),
    description: t.exposeString('longDescription', { description: 'What the modifier means (CMS long description for Level II modifiers).' }),
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
    description: 'A modifier by its two-character code (e.g. TC, 26); null when unknown.',
    args: { code: t.arg.string({ required: true }) },
    resolve: (query, _root, args) => {
      const code = args.code.trim().toUpperCase();
      if (!MODIFIER_CODE.test(code)) throw badUserInput('code', `must be a two-character modifier such as TC or 26 (got "${args.code.slice(0, 20)}")`);
      return prisma().modifier.findUnique({ ...query, where: { code } });
    },
  }),
);

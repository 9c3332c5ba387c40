import { z } from 'zod';
import { codeIdFor, type Tx } from '../../curation/curate.js';
import { prisma } from '../../db/client.js';
import type { CodeTaxonomy as CodeTaxonomyRow } from '../../generated/prisma/client.js';
import { defineLinkMutations } from '../curated-links.js';
import { hcpcsCode, linkFields, linkSnapshot, parseInput } from '../validation.js';
import { TAXONOMY_CODE } from '../../rules/code-patterns.js';
import { builder } from '../builder.js';
import { rowIdNode, codeNode } from '../global-id.js';
import { badField, badUserInput } from '../../errors.js';
import { snapshotFieldNames } from '../../db/release-diff.js';
import { changedFieldsField, HISTORY_ORDER, inHistoryOrder } from '../history.js';
import { AS_OF_KEYS, taxonomiesAsOf, withAsOfKeys } from '../versions-as-of.js';

const COMPARED = snapshotFieldNames('TAXONOMY');

export const TaxonomyVersion = builder.prismaObject('TaxonomyVersion', {
  description: 'A NUCC taxonomy code as one release of the code set gave it (an entry of `Taxonomy.history`).',
  select: {},
  fields: (t) => ({
    code: t.exposeString('code'),
    release: t.relation('release'),
    grouping: t.exposeString('grouping'),
    classification: t.exposeString('classification'),
    specialization: t.exposeString('specialization', { nullable: true }),
    displayName: t.exposeString('displayName', { nullable: true }),
    definition: t.exposeString('definition', { nullable: true }),
    section: t.exposeString('section', { nullable: true }),
    changedFields: t.stringList(changedFieldsField(COMPARED)),
  }),
});

export const Taxonomy = builder.prismaNode('Taxonomy', {
  id: codeNode,
  nullable: true,
  description: 'A NUCC health care provider taxonomy code.',
  fields: (t) => ({
    code: t.exposeString('code'),
    grouping: t.exposeString('grouping'),
    classification: t.exposeString('classification'),
    specialization: t.exposeString('specialization', { nullable: true }),
    displayName: t.exposeString('displayName', { nullable: true }),
    definition: t.exposeString('definition', { nullable: true }),
    section: t.exposeString('section', { nullable: true }),
    release: t.relation('release', { nullable: true }),
    history: t.field({
      // A release a quarter at most: twenty is years of history.
      complexity: { field: 1, multiplier: 20 },
      type: [TaxonomyVersion],
      description:
        'The code as each NUCC release that carried it gave it, oldest first (NUCC files list current codes only).',
      select: (_args, _ctx, nestedSelection) => ({ versions: nestedSelection({ orderBy: HISTORY_ORDER }) }),
      resolve: (taxonomy) => inHistoryOrder(taxonomy.versions),
    }),
  }),
});

export const CodeTaxonomy = builder.prismaNode('CodeTaxonomy', {
  name: 'CodeTaxonomy',
  id: rowIdNode,
  nullable: true,
  description: 'A provider taxonomy that typically performs or bills a code.',
  fields: (t) => ({
    code: t.string({ select: { code: { select: { code: true } } }, resolve: (link) => link.code.code }),
    taxonomy: t.relation('taxonomy'),
    note: t.exposeString('note', { nullable: true }),
    source: t.exposeString('source'),
    retiredAt: t.expose('retiredAt', { type: 'DateTime', nullable: true }),
  }),
});

// ---- Stewardship ----

const TaxonomyLink = z.object({
  taxonomy: z
    .string()
    .trim()
    .toUpperCase()
    .regex(TAXONOMY_CODE, 'must be a ten-character NUCC taxonomy code such as 2085R0202X'),
  ...linkFields,
});

async function checkedTaxonomy(tx: Tx, code: string): Promise<string> {
  const found = await tx.taxonomy.findUnique({ where: { code }, select: { code: true } });
  if (!found) throw badField('input.taxonomy', `names no known taxonomy (got "${code}")`);
  return found.code;
}

defineLinkMutations<
  CodeTaxonomyRow,
  { code: string; taxonomy: string; note?: string | null; source: string },
  { taxonomy?: string | null; note?: string | null; source?: string | null }
>({
  entity: 'CodeTaxonomy',
  name: 'CodeTaxonomy',
  mutations: { create: 'createCodeTaxonomy', revise: 'reviseCodeTaxonomy', retire: 'retireCodeTaxonomy' },
  type: CodeTaxonomy,
  createInput: builder.inputType('CreateCodeTaxonomyInput', {
    description: 'A provider taxonomy that typically performs or bills a code.',
    fields: (t) => ({
      code: t.string({ required: true, description: 'HCPCS code, e.g. A9597.' }),
      taxonomy: t.string({ required: true, description: 'NUCC taxonomy code, e.g. 2085R0202X.' }),
      note: t.string({ required: false }),
      source: t.string({ required: true, description: 'Where this link comes from.' }),
    }),
  }),
  reviseInput: builder.inputType('ReviseCodeTaxonomyInput', {
    description: 'Changes to a code-taxonomy link; fields left out keep their value.',
    fields: (t) => ({
      taxonomy: t.string({ required: false }),
      note: t.string({ required: false }),
      source: t.string({ required: false }),
    }),
  }),
  delegate: (tx) => tx.codeTaxonomy,
  create: async (tx, input) => {
    const fields = parseInput(TaxonomyLink.extend({ code: hcpcsCode }), input);
    return tx.codeTaxonomy.create({
      data: {
        codeId: await codeIdFor(tx, fields.code),
        taxonomyCode: await checkedTaxonomy(tx, fields.taxonomy),
        note: fields.note,
        source: fields.source,
      },
    });
  },
  revise: async (tx, current, changes) => {
    const fields = parseInput(TaxonomyLink, {
      taxonomy: current.taxonomyCode,
      note: current.note,
      source: current.source,
      ...changes,
    });
    return tx.codeTaxonomy.update({
      where: { id: current.id },
      data: { taxonomyCode: await checkedTaxonomy(tx, fields.taxonomy), note: fields.note, source: fields.source },
    });
  },
  snapshot: (row) => ({ ...linkSnapshot(row), taxonomyCode: row.taxonomyCode }),
});

builder.queryField('taxonomy', (t) =>
  t.prismaField({
    type: Taxonomy,
    nullable: true,
    description:
      'A provider taxonomy by its ten-character code (e.g. 2085R0202X): its newest values, or as of a date; null when unknown (then).',
    args: {
      code: t.arg.string({ required: true }),
      asOf: t.arg({
        type: 'Date',
        required: false,
        description: 'Answer as the code stood on this date (null if the NUCC release in force then did not list it).',
      }),
    },
    resolve: async (query, _root, args, context) => {
      const code = args.code.trim().toUpperCase();
      if (!TAXONOMY_CODE.test(code))
        throw badUserInput(
          'code',
          `must be a ten-character NUCC taxonomy code such as 2085R0202X (got "${args.code.slice(0, 20)}")`,
        );
      if (!args.asOf) return prisma().taxonomy.findUnique({ ...query, where: { code } });
      const row = await prisma().taxonomy.findUnique({ ...withAsOfKeys(query, AS_OF_KEYS.TAXONOMY), where: { code } });
      return row ? ((await taxonomiesAsOf(context, [row], args.asOf))[0] ?? null) : null;
    },
  }),
);

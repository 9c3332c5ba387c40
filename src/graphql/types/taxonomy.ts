import { prisma } from '../../db/client.js';
import { builder } from '../builder.js';
import { badUserInput } from '../errors.js';

export const Taxonomy = builder.prismaNode('Taxonomy', {
  id: { field: 'code' },
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
  }),
});

export const CodeTaxonomy = builder.prismaObject('CodeTaxonomy', {
  name: 'CodeTaxonomy',
  description: 'A provider taxonomy that typically performs or bills a code.',
  fields: (t) => ({
    taxonomy: t.relation('taxonomy'),
    note: t.exposeString('note', { nullable: true }),
    source: t.exposeString('source'),
  }),
});

builder.queryField('taxonomy', (t) =>
  t.prismaField({
    type: Taxonomy,
    nullable: true,
    description: 'A provider taxonomy by its ten-character code (e.g. 2085R0202X); null when unknown.',
    args: { code: t.arg.string({ required: true }) },
    resolve: (query, _root, args) => {
      const code = args.code.trim().toUpperCase();
      if (!/^[0-9A-Z]{9}X$/.test(code)) throw badUserInput('code', `must be a ten-character NUCC taxonomy code such as 2085R0202X (got "${args.code.slice(0, 20)}")`);
      return prisma().taxonomy.findUnique({ ...query, where: { code } });
    },
  }),
);

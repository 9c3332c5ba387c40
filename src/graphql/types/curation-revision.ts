// The history of a curated link (relation, taxonomy, diagnosis, site of service).
import { prisma } from '../../db/client.js';
import { builder } from '../builder.js';
import { decodeId, rowId } from '../global-id.js';
import { badUserInput } from '../../errors.js';
import { revisionFields, type RevisionFieldBuilder } from './coverage-note.js';

/** GraphQL type name of a curated link → the entity its revisions are recorded under. */
const ENTITY_BY_TYPE: Record<string, string> = {
  CodeRelation: 'CodeRelation',
  CodeTaxonomy: 'CodeTaxonomy',
  CodeDiagnosis: 'CodeDiagnosis',
  SiteOfService: 'CodeSiteOfService',
};

export const CurationRevision = builder.prismaObject('CurationRevision', {
  description: 'One change to a curated link: who, when, why, and the row as it stood after the change.',
  // Both revision models have these columns; Pothos cannot see that through its per-model builder types.
  fields: (t) => revisionFields(t as unknown as RevisionFieldBuilder, 'row'),
});

builder.queryField('curationHistory', (t) =>
  t.prismaField({
    type: [CurationRevision],
    description:
      'Every change to a curated link (CodeRelation, CodeTaxonomy, CodeDiagnosis or SiteOfService ID), oldest first.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args) => {
      const decoded = decodeId(String(args.id));
      const entity = ENTITY_BY_TYPE[decoded.typename];
      if (!entity)
        throw badUserInput(
          'id',
          `must be the ID of a ${Object.keys(ENTITY_BY_TYPE).join(', ')} (got "${String(args.id).slice(0, 40)}")`,
        );
      const id = rowId(decoded.id);
      return prisma().curationRevision.findMany({
        ...query,
        where: { entity, entityId: id },
        orderBy: { revision: 'asc' },
      });
    },
  }),
);

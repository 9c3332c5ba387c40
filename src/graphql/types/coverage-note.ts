import { CoverageScope, CoverageStatus } from '../../generated/prisma/enums.js';
import { builder } from '../builder.js';

export const CoverageStatusEnum = builder.enumType(CoverageStatus, { name: 'CoverageStatus' });
export const CoverageScopeEnum = builder.enumType(CoverageScope, { name: 'CoverageScope' });

export const CoverageNote = builder.prismaNode('CoverageNote', {
  id: { field: 'id' },
  description: "What one payer's policy says about covering one code.",
  fields: (t) => ({
    payer: t.relation('payer'),
    status: t.expose('status', { type: CoverageStatusEnum }),
    scope: t.expose('scope', { type: CoverageScopeEnum }),
    region: t.exposeString('region', { nullable: true }),
    policyId: t.exposeString('policyId', { nullable: true }),
    policyTitle: t.exposeString('policyTitle', { nullable: true }),
    summary: t.exposeString('summary'),
    effectiveDate: t.expose('effectiveDate', { type: 'Date', nullable: true }),
    sourceUrl: t.exposeString('sourceUrl'),
    lastReviewed: t.expose('lastReviewed', { type: 'Date' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

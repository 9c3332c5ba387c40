// A code's history: one CodeVersion per release that carried it (a starter release while the
// system has no official one),
// oldest first, each with the fields that differ from the version before it.
import { HCPCS_FIELD_NAMES } from '../../db/release-diff.js';
import { builder } from '../builder.js';
import { changedFieldsField, HISTORY_ORDER, inHistoryOrder } from '../history.js';
import { Code } from './code.js';

export const CodeVersion = builder.prismaObject('CodeVersion', {
  variant: 'CodeVersion',
  description: 'A HCPCS Level II code as one release of the CMS file gave it (an entry of `Code.history`).',
  fields: (t) => ({
    code: t.exposeString('code'),
    release: t.relation('release'),
    shortDescription: t.exposeString('shortDescription'),
    longDescription: t.exposeString('longDescription'),
    addDate: t.expose('addDate', { type: 'Date', nullable: true }),
    actionEffectiveDate: t.expose('actionEffectiveDate', { type: 'Date', nullable: true }),
    terminationDate: t.expose('terminationDate', { type: 'Date', nullable: true }),
    actionCode: t.exposeString('actionCode', { nullable: true }),
    coverageCode: t.exposeString('coverageCode', { nullable: true }),
    pricingIndicators: t.exposeStringList('pricingIndicators'),
    multiplePricingIndicator: t.exposeString('multiplePricingIndicator', { nullable: true }),
    betos: t.exposeString('betos', { nullable: true }),
    typesOfService: t.exposeStringList('typesOfService'),
    changedFields: t.stringList(changedFieldsField(HCPCS_FIELD_NAMES)),
  }),
});

builder.prismaObjectField(Code, 'history', (t) =>
  t.field({
    // A code appears in at most one release a quarter: twenty is years of history.
    complexity: { field: 1, multiplier: 20 },
    type: [CodeVersion],
    description: 'Every version of this code, one per release that carried it, oldest release first.',
    select: (_args, _ctx, nestedSelection) => ({
      identity: {
        select: {
          versions: nestedSelection({ orderBy: HISTORY_ORDER }),
        },
      },
    }),
    resolve: (version) => inHistoryOrder(version.identity.versions),
  }),
);

import { builder } from '../builder.js';

export const Benchmark = builder.prismaObject('Benchmark', {
  description: 'A payment benchmark for a code from one release of a payment file (OPPS Addendum B).',
  fields: (t) => ({
    statusIndicator: t.exposeString('statusIndicator', { nullable: true }),
    apc: t.exposeString('apc', { nullable: true }),
    relativeWeight: t.expose('relativeWeight', { type: 'Decimal', nullable: true }),
    paymentRate: t.expose('paymentRate', {
      type: 'Decimal',
      nullable: true,
      description: 'National unadjusted payment rate, US dollars.',
    }),
    nationalCopayment: t.expose('nationalCopayment', { type: 'Decimal', nullable: true }),
    minimumCopayment: t.expose('minimumCopayment', { type: 'Decimal', nullable: true }),
    release: t.relation('release'),
  }),
});

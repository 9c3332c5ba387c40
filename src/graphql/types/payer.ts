import { decodeGlobalID } from '@pothos/plugin-relay';
import { PayerKind } from '../../generated/prisma/enums.js';
import { prisma } from '../../db/client.js';
import { builder } from '../builder.js';

/** A payer named by its global ID (Payer:...) or by its slug (e.g. aetna), as arguments accept it. */
export function payerKey(value: string | number): { id: number } | { slug: string } {
  const text = String(value).trim();
  try {
    const decoded = decodeGlobalID(text);
    if (decoded.typename === 'Payer') return { id: Number(decoded.id) };
  } catch {
    // not a global ID: a slug
  }
  return { slug: text.toLowerCase() };
}

export const PayerKindEnum = builder.enumType(PayerKind, { name: 'PayerKind' });

export const Payer = builder.prismaNode('Payer', {
  id: { field: 'id' },
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Stable short identifier, e.g. aetna.' }),
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: PayerKindEnum }),
    website: t.exposeString('website', { nullable: true }),
  }),
});

builder.queryField('payers', (t) =>
  t.prismaField({
    type: [Payer],
    description: 'Every payer refgraph records coverage notes for, by name.',
    resolve: (query) => prisma().payer.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
);

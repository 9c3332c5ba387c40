import { PayerKind } from '../../generated/prisma/enums.js';
import { prisma } from '../../db/client.js';
import { builder } from '../builder.js';
import { isIdOf, rowIdNode, rowIdOf } from '../global-id.js';

/** Payer slugs: lower-case letters, digits and dashes (aetna, bcbs, ...). */
const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * A payer named by its global ID (Payer:...) or by its slug (e.g. aetna), as arguments accept it.
 * Anything else names no payer: an ID of another type matches nothing (it must not be read as a slug).
 */
export function payerKey(value: string | number, argument = 'payers'): { id: number } | { slug: string } {
  const text = String(value).trim();
  // A global ID first: base64 without padding (Payer:100 to Payer:999, ...) also looks like a slug.
  if (isIdOf(text, 'Payer')) return { id: rowIdOf(text, 'Payer', argument) };
  const slug = text.toLowerCase();
  if (SLUG.test(slug)) return { slug };
  return { id: rowIdOf(text, 'Payer', argument) };
}

export const PayerKindEnum = builder.enumType(PayerKind, { name: 'PayerKind' });

export const Payer = builder.prismaNode('Payer', {
  id: rowIdNode,
  nullable: true,
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

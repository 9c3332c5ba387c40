import { CodeSystemKind, ReleaseOrigin } from '../../generated/prisma/enums.js';
import { prisma } from '../../db/client.js';
import { builder } from '../builder.js';
import { rowIdNode } from '../global-id.js';

export const CodeSystemKindEnum = builder.enumType(CodeSystemKind, {
  name: 'CodeSystemKind',
  description: 'A code set refgraph loads.',
});
export const ReleaseOriginEnum = builder.enumType(ReleaseOrigin, { name: 'ReleaseOrigin' });

builder.prismaObject('CodeSystem', {
  fields: (t) => ({
    kind: t.expose('kind', { type: CodeSystemKindEnum }),
    name: t.exposeString('name'),
    publisher: t.exposeString('publisher'),
  }),
});

export const Release = builder.prismaNode('Release', {
  id: rowIdNode,
  nullable: true,
  // Select mode: a code's `release { name }` need not load the release's summary JSON.
  select: {},
  fields: (t) => ({
    name: t.exposeString('name'),
    effectiveDate: t.expose('effectiveDate', { type: 'Date' }),
    origin: t.expose('origin', { type: ReleaseOriginEnum }),
    system: t.relation('system'),
    sourceFile: t.exposeString('sourceFile', { nullable: true }),
    sha256: t.exposeString('sha256', { nullable: true }),
    loadedAt: t.expose('loadedAt', { type: 'DateTime' }),
    recordCount: t.exposeInt('recordCount'),
    summary: t.expose('summary', { type: 'JSON', nullable: true }),
  }),
});

builder.queryField('releases', (t) =>
  t.prismaField({
    type: [Release],
    description: 'Loaded releases, newest first.',
    args: { system: t.arg({ type: CodeSystemKindEnum, required: false }) },
    resolve: (query, _root, args) =>
      prisma().release.findMany({
        ...query,
        where: args.system ? { system: { kind: args.system } } : {},
        orderBy: [{ effectiveDate: 'desc' }, { id: 'desc' }],
      }),
  }),
);

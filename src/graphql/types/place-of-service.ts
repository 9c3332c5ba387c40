import { prisma } from '../../db/client.js';
import { builder } from '../builder.js';
import { badUserInput } from '../errors.js';

export const PlaceOfService = builder.prismaNode('PlaceOfService', {
  id: { field: 'code' },
  description: 'A CMS place-of-service code.',
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    assigned: t.exposeBoolean('assigned'),
    release: t.relation('release', { nullable: true }),
  }),
});

export const SiteOfService = builder.prismaObject('CodeSiteOfService', {
  name: 'SiteOfService',
  description: 'A typical setting where a code is performed.',
  fields: (t) => ({
    setting: t.exposeString('setting'),
    placeOfService: t.relation('placeOfService', {
      nullable: true,
      description: 'The CMS place-of-service code, only where the setting corresponds to one unambiguously.',
    }),
    note: t.exposeString('note', { nullable: true }),
    source: t.exposeString('source'),
  }),
});

builder.queryField('placeOfService', (t) =>
  t.prismaField({
    type: PlaceOfService,
    nullable: true,
    description: 'A place of service by its two-digit code (e.g. 22); null when unknown.',
    args: { code: t.arg.string({ required: true }) },
    resolve: (query, _root, args) => {
      const code = args.code.trim();
      if (!/^[0-9]{2}$/.test(code)) throw badUserInput('code', `must be a two-digit place-of-service code such as 22 (got "${args.code.slice(0, 20)}")`);
      return prisma().placeOfService.findUnique({ ...query, where: { code } });
    },
  }),
);

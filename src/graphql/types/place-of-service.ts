import { z } from 'zod';
import { codeIdFor, type Tx } from '../../curation/curate.js';
import { prisma } from '../../db/client.js';
import type { CodeSiteOfService as CodeSiteOfServiceRow } from '../../generated/prisma/client.js';
import { builder } from '../builder.js';
import { rowIdNode, codeNode } from '../global-id.js';
import { defineLinkMutations } from '../curated-links.js';
import { badField, badUserInput } from '../../errors.js';
import { hcpcsCode, linkFields, linkSnapshot, parseInput, requiredText } from '../validation.js';
import { snapshotFieldNames } from '../../db/release-diff.js';
import { changedFieldsField, HISTORY_ORDER, inHistoryOrder } from '../history.js';
import { AS_OF_KEYS, placesOfServiceAsOf, withAsOfKeys } from '../versions-as-of.js';
import { PLACE_OF_SERVICE_CODE } from '../../rules/code-patterns.js';

const COMPARED = snapshotFieldNames('PLACE_OF_SERVICE');

export const PlaceOfServiceVersion = builder.prismaObject('PlaceOfServiceVersion', {
  description: 'A place-of-service code as one release of the code set gave it (an entry of `PlaceOfService.history`).',
  select: {},
  fields: (t) => ({
    code: t.exposeString('code'),
    release: t.relation('release'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    assigned: t.exposeBoolean('assigned'),
    changedFields: t.stringList(changedFieldsField(COMPARED)),
  }),
});

export const PlaceOfService = builder.prismaNode('PlaceOfService', {
  id: codeNode,
  nullable: true,
  // Select mode: only the columns the query asks for are loaded.
  select: {},
  description: 'A CMS place-of-service code.',
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    assigned: t.exposeBoolean('assigned'),
    release: t.relation('release', { nullable: true }),
    history: t.field({
      // A release a quarter at most: twenty is years of history.
      complexity: { field: 1, multiplier: 20 },
      type: [PlaceOfServiceVersion],
      description: 'The code as each release of the code set that carried it gave it, oldest first.',
      select: (_args, _ctx, nestedSelection) => ({ versions: nestedSelection({ orderBy: HISTORY_ORDER }) }),
      resolve: (place) => inHistoryOrder(place.versions),
    }),
  }),
});

export const SiteOfService = builder.prismaNode('CodeSiteOfService', {
  name: 'SiteOfService',
  id: rowIdNode,
  nullable: true,
  description: 'A typical setting where a code is performed.',
  // Select mode: only the columns the query asks for are loaded.
  select: {},
  fields: (t) => ({
    code: t.string({ select: { code: { select: { code: true } } }, resolve: (site) => site.code.code }),
    retiredAt: t.expose('retiredAt', { type: 'DateTime', nullable: true }),
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
    description:
      'A place of service by its two-digit code (e.g. 22): its newest values, or as of a date; null when unknown (then).',
    args: {
      code: t.arg.string({ required: true }),
      asOf: t.arg({
        type: 'Date',
        required: false,
        description: 'Answer as the code stood on this date (null if no release in force then carried it).',
      }),
    },
    resolve: async (query, _root, args, context) => {
      const code = args.code.trim();
      if (!PLACE_OF_SERVICE_CODE.test(code))
        throw badUserInput(
          'code',
          `must be a two-digit place-of-service code such as 22 (got "${args.code.slice(0, 20)}")`,
        );
      if (!args.asOf) return prisma().placeOfService.findUnique({ ...query, where: { code } });
      const row = await prisma().placeOfService.findUnique({
        ...withAsOfKeys(query, AS_OF_KEYS.PLACE_OF_SERVICE),
        where: { code },
      });
      return row ? ((await placesOfServiceAsOf(context, [row], args.asOf))[0] ?? null) : null;
    },
  }),
);

// ---- Stewardship ----

const SiteFields = z.object({
  setting: requiredText(300),
  placeOfService: z
    .string()
    .trim()
    .regex(PLACE_OF_SERVICE_CODE, 'must be a two-digit place-of-service code such as 22')
    .nullish()
    .transform((value) => value ?? null),
  ...linkFields,
});

async function checkedPlaceOfService(tx: Tx, code: string | null): Promise<string | null> {
  if (code === null) return null;
  const found = await tx.placeOfService.findUnique({ where: { code }, select: { code: true } });
  if (!found) throw badField('input.placeOfService', `names no known place of service (got "${code}")`);
  return found.code;
}

defineLinkMutations<
  CodeSiteOfServiceRow,
  { code: string; setting: string; placeOfService?: string | null; note?: string | null; source: string },
  { setting?: string | null; placeOfService?: string | null; note?: string | null; source?: string | null }
>({
  entity: 'CodeSiteOfService',
  name: 'SiteOfService',
  mutations: { create: 'createSiteOfService', revise: 'reviseSiteOfService', retire: 'retireSiteOfService' },
  type: SiteOfService,
  createInput: builder.inputType('CreateSiteOfServiceInput', {
    description: 'A typical setting where a code is performed.',
    fields: (t) => ({
      code: t.string({ required: true, description: 'HCPCS code, e.g. A9597.' }),
      setting: t.string({ required: true, description: 'The setting in plain words.' }),
      placeOfService: t.string({ required: false, description: 'CMS place-of-service code, only where unambiguous.' }),
      note: t.string({ required: false }),
      source: t.string({ required: true, description: 'Where this comes from.' }),
    }),
  }),
  reviseInput: builder.inputType('ReviseSiteOfServiceInput', {
    description: 'Changes to a site of service; fields left out keep their value (null clears placeOfService or note).',
    fields: (t) => ({
      setting: t.string({ required: false }),
      placeOfService: t.string({ required: false }),
      note: t.string({ required: false }),
      source: t.string({ required: false }),
    }),
  }),
  delegate: (tx) => tx.codeSiteOfService,
  create: async (tx, input) => {
    const fields = parseInput(SiteFields.extend({ code: hcpcsCode }), input);
    return tx.codeSiteOfService.create({
      data: {
        codeId: await codeIdFor(tx, fields.code),
        setting: fields.setting,
        placeOfServiceCode: await checkedPlaceOfService(tx, fields.placeOfService),
        note: fields.note,
        source: fields.source,
      },
    });
  },
  revise: async (tx, current, changes) => {
    const fields = parseInput(SiteFields, {
      setting: current.setting,
      placeOfService: current.placeOfServiceCode,
      note: current.note,
      source: current.source,
      ...changes,
    });
    return tx.codeSiteOfService.update({
      where: { id: current.id },
      data: {
        setting: fields.setting,
        placeOfServiceCode: await checkedPlaceOfService(tx, fields.placeOfService),
        note: fields.note,
        source: fields.source,
      },
    });
  },
  snapshot: (row) => ({ ...linkSnapshot(row), setting: row.setting, placeOfServiceCode: row.placeOfServiceCode }),
});

import { CodeRelationKind } from '../../generated/prisma/enums.js';
import { z } from 'zod';
import { codeIdFor } from '../../curation/curate.js';
import type { CodeRelation as CodeRelationRow } from '../../generated/prisma/client.js';
import { builder } from '../builder.js';
import { rowIdNode } from '../global-id.js';
import { defineLinkMutations } from '../curated-links.js';
import { hcpcsCode, linkFields, linkSnapshot, parseInput } from '../validation.js';

export const CodeRelationKindEnum = builder.enumType(CodeRelationKind, { name: 'CodeRelationKind' });

/** A related code, from curation or from the CMS file's cross-reference columns. */
export interface RelatedCodeShape {
  kind: CodeRelationKind;
  system: string;
  code: string;
  note: string | null;
  source: string;
}

export const RelatedCode = builder.objectRef<RelatedCodeShape>('RelatedCode').implement({
  description: 'A code related to another, with the kind of relation and where it comes from.',
  fields: (t) => ({
    kind: t.expose('kind', { type: CodeRelationKindEnum }),
    system: t.exposeString('system', { description: 'Code system of the related code (HCPCS, CPT, ...).' }),
    code: t.exposeString('code'),
    note: t.exposeString('note', { nullable: true }),
    source: t.exposeString('source'),
  }),
});

/** A curated relation row (what stewards create, revise and retire). */
export const CodeRelation = builder.prismaNode('CodeRelation', {
  id: rowIdNode,
  nullable: true,
  description: 'A curated relation from a code to another code (HCPCS, CPT, ...).',
  fields: (t) => ({
    code: t.string({ select: { code: { select: { code: true } } }, resolve: (relation) => relation.code.code }),
    kind: t.expose('kind', { type: CodeRelationKindEnum }),
    relatedSystem: t.exposeString('relatedSystem'),
    relatedCode: t.exposeString('relatedCode'),
    note: t.exposeString('note', { nullable: true }),
    source: t.exposeString('source'),
    retiredAt: t.expose('retiredAt', { type: 'DateTime', nullable: true }),
  }),
});

// ---- Stewardship ----

const RelationFields = z.object({
  kind: z.enum(CodeRelationKind),
  relatedSystem: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9-]{2,20}$/, 'must be a code system name such as HCPCS or CPT'),
  relatedCode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9.]{1,20}$/, 'must be a code of 1 to 20 letters and digits'),
  ...linkFields,
});

type RelationInput = {
  kind: CodeRelationKind;
  relatedSystem: string;
  relatedCode: string;
  note?: string | null;
  source: string;
};

defineLinkMutations<
  CodeRelationRow,
  RelationInput & { code: string },
  Partial<{ [K in keyof RelationInput]: RelationInput[K] | null }>
>({
  entity: 'CodeRelation',
  name: 'CodeRelation',
  mutations: { create: 'createCodeRelation', revise: 'reviseCodeRelation', retire: 'retireCodeRelation' },
  type: CodeRelation,
  createInput: builder.inputType('CreateCodeRelationInput', {
    description: 'A relation from a code to another code.',
    fields: (t) => ({
      code: t.string({ required: true, description: 'HCPCS code, e.g. A9597.' }),
      kind: t.field({ type: CodeRelationKindEnum, required: true }),
      relatedSystem: t.string({ required: true, description: 'Code system of the related code, e.g. HCPCS or CPT.' }),
      relatedCode: t.string({ required: true }),
      note: t.string({ required: false }),
      source: t.string({ required: true, description: 'Where this relation comes from.' }),
    }),
  }),
  reviseInput: builder.inputType('ReviseCodeRelationInput', {
    description: 'Changes to a code relation; fields left out keep their value.',
    fields: (t) => ({
      kind: t.field({ type: CodeRelationKindEnum, required: false }),
      relatedSystem: t.string({ required: false }),
      relatedCode: t.string({ required: false }),
      note: t.string({ required: false }),
      source: t.string({ required: false }),
    }),
  }),
  delegate: (tx) => tx.codeRelation,
  create: async (tx, input) => {
    const { code, ...fields } = parseInput(RelationFields.extend({ code: hcpcsCode }), input);
    return tx.codeRelation.create({ data: { ...fields, codeId: await codeIdFor(tx, code) } });
  },
  revise: async (tx, current, changes) => {
    const fields = parseInput(RelationFields, {
      kind: current.kind,
      relatedSystem: current.relatedSystem,
      relatedCode: current.relatedCode,
      note: current.note,
      source: current.source,
      ...changes,
    });
    return tx.codeRelation.update({ where: { id: current.id }, data: fields });
  },
  snapshot: (row) => ({
    ...linkSnapshot(row),
    kind: row.kind,
    relatedSystem: row.relatedSystem,
    relatedCode: row.relatedCode,
  }),
});

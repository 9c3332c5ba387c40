import { z } from 'zod';
import { codeIdFor, type Tx } from '../../curation/curate.js';
import type { CodeDiagnosis as CodeDiagnosisRow } from '../../generated/prisma/client.js';
import { builder } from '../builder.js';
import { rowIdNode } from '../global-id.js';
import { defineLinkMutations } from '../curated-links.js';
import { badField } from '../../errors.js';
import { hcpcsCode, linkFields, linkSnapshot, parseInput } from '../validation.js';

builder.prismaObject('Diagnosis', {
  description: 'An ICD-10-CM diagnosis code.',
  fields: (t) => ({
    code: t.exposeString('code'),
    description: t.exposeString('description'),
    source: t.exposeString('source'),
  }),
});

export const CodeDiagnosis = builder.prismaNode('CodeDiagnosis', {
  name: 'CodeDiagnosis',
  id: rowIdNode,
  nullable: true,
  description: "A diagnosis that commonly supports a code's medical necessity.",
  fields: (t) => ({
    code: t.string({ select: { code: { select: { code: true } } }, resolve: (link) => link.code.code }),
    diagnosis: t.relation('diagnosis'),
    note: t.exposeString('note', { nullable: true }),
    source: t.exposeString('source'),
    retiredAt: t.expose('retiredAt', { type: 'DateTime', nullable: true }),
  }),
});

// ---- Stewardship ----

const DiagnosisLink = z.object({
  // ICD-10-CM without the dot, as refgraph stores it (C18.9 → C189).
  diagnosis: z
    .string()
    .trim()
    .toUpperCase()
    .transform((value) => value.replace('.', ''))
    .pipe(z.string().regex(/^[A-Z][0-9][0-9A-Z]{1,5}$/, 'must be an ICD-10-CM code such as C18.9')),
  ...linkFields,
});

async function checkedDiagnosis(tx: Tx, code: string): Promise<string> {
  const found = await tx.diagnosis.findUnique({ where: { code }, select: { code: true } });
  if (!found) throw badField('input.diagnosis', `names no known diagnosis (got "${code}")`);
  return found.code;
}

defineLinkMutations<
  CodeDiagnosisRow,
  { code: string; diagnosis: string; note?: string | null; source: string },
  { diagnosis?: string | null; note?: string | null; source?: string | null }
>({
  entity: 'CodeDiagnosis',
  name: 'CodeDiagnosis',
  mutations: { create: 'createCodeDiagnosis', revise: 'reviseCodeDiagnosis', retire: 'retireCodeDiagnosis' },
  type: CodeDiagnosis,
  createInput: builder.inputType('CreateCodeDiagnosisInput', {
    description: "A diagnosis that commonly supports a code's medical necessity.",
    fields: (t) => ({
      code: t.string({ required: true, description: 'HCPCS code, e.g. A9597.' }),
      diagnosis: t.string({ required: true, description: 'ICD-10-CM code, with or without the dot.' }),
      note: t.string({ required: false }),
      source: t.string({ required: true, description: 'Where this link comes from.' }),
    }),
  }),
  reviseInput: builder.inputType('ReviseCodeDiagnosisInput', {
    description: 'Changes to a code-diagnosis link; fields left out keep their value.',
    fields: (t) => ({
      diagnosis: t.string({ required: false }),
      note: t.string({ required: false }),
      source: t.string({ required: false }),
    }),
  }),
  delegate: (tx) => tx.codeDiagnosis,
  create: async (tx, input) => {
    const fields = parseInput(DiagnosisLink.extend({ code: hcpcsCode }), input);
    return tx.codeDiagnosis.create({
      data: {
        codeId: await codeIdFor(tx, fields.code),
        diagnosisCode: await checkedDiagnosis(tx, fields.diagnosis),
        note: fields.note,
        source: fields.source,
      },
    });
  },
  revise: async (tx, current, changes) => {
    const fields = parseInput(DiagnosisLink, {
      diagnosis: current.diagnosisCode,
      note: current.note,
      source: current.source,
      ...changes,
    });
    return tx.codeDiagnosis.update({
      where: { id: current.id },
      data: { diagnosisCode: await checkedDiagnosis(tx, fields.diagnosis), note: fields.note, source: fields.source },
    });
  },
  snapshot: (row) => ({ ...linkSnapshot(row), diagnosisCode: row.diagnosisCode }),
});

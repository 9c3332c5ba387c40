import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { z } from 'zod';
import { requireScope } from '../require-scope.js';
import { codeIdFor, curate, day, type Tx } from '../../curation/curate.js';
import { prisma } from '../../db/client.js';
import type {
  CoverageNote as CoverageNoteRow,
  CoverageNoteRevision as CoverageNoteRevisionRow,
} from '../../generated/prisma/client.js';
import { CoverageScope, CoverageStatus, RevisionAction } from '../../generated/prisma/enums.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { givenFields } from '../curated-links.js';
import { badField } from '../../errors.js';
import { payerKey } from './payer.js';
import { rowIdNode, rowIdOf } from '../global-id.js';
import { hcpcsCode, httpUrl, optionalText, parseInput, pastDate, reasonArgument, requiredText } from '../validation.js';
import { groupBy } from '../../group-by.js';

export const CoverageStatusEnum = builder.enumType(CoverageStatus, { name: 'CoverageStatus' });
export const CoverageScopeEnum = builder.enumType(CoverageScope, { name: 'CoverageScope' });
export const RevisionActionEnum = builder.enumType(RevisionAction, {
  name: 'RevisionAction',
  description: 'What a revision did: CREATE, REVISE or RETIRE.',
});

/** The fields of a revision, for coverage notes and curated links alike. */
type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type RevisionShape = Pick<
  CoverageNoteRevisionRow,
  'revision' | 'action' | 'changedBy' | 'changedAt' | 'reason' | 'snapshot'
>;

export type RevisionFieldBuilder = PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, RevisionShape>;

export function revisionFields(t: RevisionFieldBuilder, what: string) {
  return {
    revision: t.exposeInt('revision', { description: 'Revision number, 1 for the first.' }),
    action: t.expose('action', { type: RevisionActionEnum }),
    changedBy: t.exposeString('changedBy', { description: 'Name of the API key that made the change.' }),
    changedAt: t.expose('changedAt', { type: 'DateTime' }),
    reason: t.exposeString('reason'),
    snapshot: t.expose('snapshot', { type: 'JSON', description: `The ${what}'s fields after this change.` }),
  };
}

export const CoverageNoteRevision = builder.prismaObject('CoverageNoteRevision', {
  description: 'One change to a coverage note: who, when, why, and the note as it stood after the change.',
  // Both revision models have these columns; Pothos cannot see that through its per-model builder types.
  fields: (t) => revisionFields(t as unknown as RevisionFieldBuilder, 'note'),
});

export const CoverageNote = builder.prismaNode('CoverageNote', {
  id: rowIdNode,
  nullable: true,
  description: "What one payer's policy says about covering one code.",
  // Select mode: only the columns the query asks for are loaded (a page of 50 codes carries ~250 notes).
  select: {},
  fields: (t) => ({
    code: t.string({
      description: 'The HCPCS code the note is about.',
      select: { code: { select: { code: true } } },
      resolve: (note) => note.code.code,
    }),
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
    retiredAt: t.expose('retiredAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Set once the note is retired.',
    }),
    revisions: t.relation('revisions', {
      complexity: { field: 1, multiplier: 20 },
      description: 'Every change to the note, oldest first.',
      query: { orderBy: { revision: 'asc' } },
    }),
  }),
});

// ---- asOf: notes as they stood at an instant, rebuilt from their revisions ----

/** The fields of a note a steward writes, and a revision records: listed once. */
const NOTE_FIELDS = [
  'status',
  'scope',
  'region',
  'policyId',
  'policyTitle',
  'summary',
  'effectiveDate',
  'sourceUrl',
  'lastReviewed',
] as const;
type NoteField = (typeof NOTE_FIELDS)[number];
type NoteValues = Pick<CoverageNoteRow, NoteField>;
/** Stored in a snapshot as YYYY-MM-DD. */
const DATE_FIELDS: ReadonlySet<NoteField> = new Set(['effectiveDate', 'lastReviewed']);

/** A note's steward-written fields as they stand. */
function noteFieldsOf(note: CoverageNoteRow): NoteValues {
  return Object.fromEntries(NOTE_FIELDS.map((field) => [field, note[field]])) as NoteValues;
}

/** The note as a revision snapshot records it. */
function noteSnapshot(note: CoverageNoteRow): Record<string, unknown> {
  const fields = NOTE_FIELDS.map((field) => [
    field,
    DATE_FIELDS.has(field) ? day(note[field] as Date | null) : note[field],
  ]);
  return {
    codeId: note.codeId,
    payerId: note.payerId,
    ...Object.fromEntries(fields),
    retiredAt: note.retiredAt?.toISOString() ?? null,
  };
}

/** The steward-written fields a snapshot records, as the note held them then. */
function fieldsFromSnapshot(snapshot: Record<string, unknown>): NoteValues {
  const value = (field: NoteField) => {
    const stored = snapshot[field] ?? null;
    return DATE_FIELDS.has(field) && typeof stored === 'string' ? new Date(stored) : stored;
  };
  return Object.fromEntries(NOTE_FIELDS.map((field) => [field, value(field)])) as NoteValues;
}

type RevisionRow = Pick<CoverageNoteRevisionRow, 'noteId' | 'revision' | 'action' | 'changedAt' | 'snapshot'>;

/**
 * The revisions of coverage notes, gathered per request: every `coverage(asOf:)` of a page of
 * codes shares one statement, whatever the number of codes and notes.
 */
const revisionsOf = createContextCache(
  () =>
    new DataLoader<number, RevisionRow[]>(async (noteIds) => {
      const revisions = await prisma().coverageNoteRevision.findMany({
        where: { noteId: { in: [...noteIds] } },
        select: { noteId: true, revision: true, action: true, changedAt: true, snapshot: true },
        orderBy: [{ noteId: 'asc' }, { revision: 'asc' }],
      });
      const byNote = groupBy(revisions as RevisionRow[], (revision) => revision.noteId);
      return noteIds.map((id) => byNote.get(id) ?? []);
    }),
);

/**
 * Of `notes` (loaded with no retired filter), those that were live at `asOf`, with their fields as
 * they stood then. Notes never revised count from their creation to their retirement as they are
 * now. The loaded rows are left as they are: a note as of a date is a new object.
 */
export async function coverageAsOf<T extends { id: number; createdAt: Date; retiredAt: Date | null }>(
  context: Context,
  notes: T[],
  asOf: Date,
): Promise<T[]> {
  if (notes.length === 0) return [];
  const histories = await revisionsOf(context).loadMany(notes.map((note) => note.id));
  const result: T[] = [];
  notes.forEach((note, i) => {
    const changes = histories[i];
    if (changes instanceof Error) throw changes;
    if (!changes || changes.length === 0) {
      if (note.createdAt <= asOf && (!note.retiredAt || note.retiredAt > asOf)) result.push(note);
      return;
    }
    const then = changes.filter((change) => change.changedAt <= asOf).pop();
    if (!then || then.action === 'RETIRE') return;
    const snapshot = then.snapshot as Record<string, unknown>;
    // A copy keeps what Pothos loaded for the note's relations (payer, code).
    result.push({ ...note, ...fieldsFromSnapshot(snapshot), updatedAt: then.changedAt, retiredAt: null });
  });
  return result;
}

// ---- Stewardship ----

const noteFields = {
  status: z.enum(CoverageStatus),
  scope: z.enum(CoverageScope),
  region: optionalText(100),
  policyId: optionalText(100),
  policyTitle: optionalText(500),
  summary: requiredText(5_000),
  effectiveDate: z
    .date()
    .nullish()
    .transform((value) => value ?? null),
  sourceUrl: httpUrl,
  lastReviewed: pastDate,
};
const NoteFields = z.object(noteFields).refine((note) => note.scope !== 'REGIONAL' || note.region !== null, {
  message: 'is required when scope is REGIONAL',
  path: ['region'],
});

const CreateCoverageNoteInput = builder.inputType('CreateCoverageNoteInput', {
  description: 'A new coverage note. A source URL and a reviewed date are required.',
  fields: (t) => ({
    code: t.string({ required: true, description: 'HCPCS code, e.g. A9597.' }),
    payer: t.id({ required: true, description: 'Payer ID or slug (e.g. aetna).' }),
    status: t.field({ type: CoverageStatusEnum, required: true }),
    scope: t.field({ type: CoverageScopeEnum, required: false, description: 'NATIONAL unless given.' }),
    region: t.string({ required: false, description: 'Required for REGIONAL notes.' }),
    policyId: t.string({ required: false }),
    policyTitle: t.string({ required: false }),
    summary: t.string({ required: true }),
    effectiveDate: t.field({ type: 'Date', required: false }),
    sourceUrl: t.string({ required: true, description: 'http(s) URL of the policy.' }),
    lastReviewed: t.field({
      type: 'Date',
      required: true,
      description: 'When a steward last read the policy; not in the future.',
    }),
  }),
});

const ReviseCoverageNoteInput = builder.inputType('ReviseCoverageNoteInput', {
  description: 'Changes to a coverage note; fields left out keep their value.',
  fields: (t) => ({
    status: t.field({ type: CoverageStatusEnum, required: false }),
    scope: t.field({ type: CoverageScopeEnum, required: false }),
    region: t.string({ required: false }),
    policyId: t.string({ required: false }),
    policyTitle: t.string({ required: false }),
    summary: t.string({ required: false }),
    effectiveDate: t.field({ type: 'Date', required: false }),
    sourceUrl: t.string({ required: false }),
    lastReviewed: t.field({ type: 'Date', required: false }),
  }),
});

async function payerIdFor(tx: Tx, value: string): Promise<number> {
  const payer = await tx.payer.findUnique({ where: payerKey(value), select: { id: true } });
  if (!payer) throw badField('input.payer', `names no known payer (got "${value.slice(0, 40)}")`);
  return payer.id;
}

const loadNote = (tx: Tx, id: number) => tx.coverageNote.findUnique({ where: { id } });

/** Revise or retire note `noteId` in one curated transaction. */
function changeNote(
  action: 'REVISE' | 'RETIRE',
  noteId: number,
  changedBy: string,
  reason: string,
  write: (tx: Tx, current: CoverageNoteRow) => Promise<CoverageNoteRow>,
) {
  return curate({
    entity: 'CoverageNote',
    action,
    id: noteId,
    changedBy,
    reason,
    load: loadNote,
    snapshot: noteSnapshot,
    write: (tx, current) => write(tx, current!),
  });
}

builder.mutationFields((t) => ({
  createCoverageNote: t.prismaField({
    type: CoverageNote,
    description: 'Record what a payer says about a code (steward scope). Revision 1 records who and why.',
    args: {
      input: t.arg({ type: CreateCoverageNoteInput, required: true }),
      reason: t.arg.string({ required: true, description: 'Why the note is recorded.' }),
    },
    resolve: async (query, _root, args, context) => {
      const changedBy = requireScope(context, 'steward');
      const reason = reasonArgument(args.reason);
      const { code, ...fields } = parseInput(NoteFields.and(z.object({ code: hcpcsCode })), {
        ...args.input,
        scope: args.input.scope ?? 'NATIONAL',
      });
      const id = await curate({
        entity: 'CoverageNote',
        action: 'CREATE',
        changedBy,
        reason,
        snapshot: noteSnapshot,
        write: async (tx) =>
          tx.coverageNote.create({
            data: { ...fields, codeId: await codeIdFor(tx, code), payerId: await payerIdFor(tx, args.input.payer) },
          }),
      });
      return prisma().coverageNote.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  reviseCoverageNote: t.prismaField({
    type: CoverageNote,
    description: 'Change a coverage note (steward scope); the previous state stays in its revisions.',
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: ReviseCoverageNoteInput, required: true }),
      reason: t.arg.string({ required: true, description: 'Why the note changes.' }),
    },
    resolve: async (query, _root, args, context) => {
      const changedBy = requireScope(context, 'steward');
      const reason = reasonArgument(args.reason);
      const noteId = rowIdOf(args.id, 'CoverageNote');
      const changes = givenFields(args.input);
      if (Object.keys(changes).length === 0) throw badField('input', 'must change at least one field');
      const id = await changeNote('REVISE', noteId, changedBy, reason, (tx, current) =>
        tx.coverageNote.update({
          where: { id: noteId },
          data: parseInput(NoteFields, { ...noteFieldsOf(current), ...changes }),
        }),
      );
      return prisma().coverageNote.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  retireCoverageNote: t.prismaField({
    type: CoverageNote,
    description: 'Retire a coverage note (steward scope): it leaves current reads but stays, with its history.',
    args: {
      id: t.arg.id({ required: true }),
      reason: t.arg.string({ required: true, description: 'Why the note is retired.' }),
    },
    resolve: async (query, _root, args, context) => {
      const changedBy = requireScope(context, 'steward');
      const reason = reasonArgument(args.reason);
      const noteId = rowIdOf(args.id, 'CoverageNote');
      const id = await changeNote('RETIRE', noteId, changedBy, reason, (tx) =>
        tx.coverageNote.update({ where: { id: noteId }, data: { retiredAt: new Date() } }),
      );
      return prisma().coverageNote.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));

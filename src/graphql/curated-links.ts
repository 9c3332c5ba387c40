// create/revise/retire mutations for the curated links of a code (relations, taxonomies,
// diagnoses, sites of service): the same steps for each, defined once. Each domain file gives its
// type, inputs and how to write a row; revisions go to curation_revision (src/curation/curate.ts).
import { requireScope } from './require-scope.js';
import { curate, type CuratedEntity, type CuratedRow, type Tx } from '../curation/curate.js';
import { prisma } from '../db/client.js';
import { builder } from './builder.js';
import { badField } from '../errors.js';
import { rowIdOf } from './global-id.js';
import { reasonArgument } from './validation.js';

type LinkEntity = Exclude<CuratedEntity, 'CoverageNote'>;

/** The Prisma delegate calls every link table shares. */
interface LinkDelegate<Row> {
  findUnique(args: { where: { id: number } }): Promise<Row | null>;
  findUniqueOrThrow(args: object): Promise<unknown>;
  update(args: { where: { id: number }; data: { retiredAt: Date } }): Promise<Row>;
}

export interface LinkSpec<Row extends CuratedRow, CreateInput, ReviseInput> {
  entity: LinkEntity;
  /** GraphQL type name (also what the global ids of the rows name). */
  name: string;
  /** The Mutation fields, spelled out so a search for a mutation's name finds where it is defined. */
  mutations: { create: `create${string}`; revise: `revise${string}`; retire: `retire${string}` };
  /** What the mutations return (a prismaNode of the link table). */
  type: object;
  createInput: object;
  reviseInput: object;
  delegate: (tx: Tx) => LinkDelegate<Row>;
  create: (tx: Tx, input: CreateInput) => Promise<Row>;
  revise: (tx: Tx, current: Row, changes: Partial<ReviseInput>) => Promise<Row>;
  snapshot: (row: Row) => Record<string, unknown>;
}

/** Keeps the fields a revise input gives (explicit nulls included: they clear optional fields). */
export function givenFields<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export function defineLinkMutations<Row extends CuratedRow, CreateInput, ReviseInput>(
  spec: LinkSpec<Row, CreateInput, ReviseInput>,
): void {
  const find = (query: object, id: number) =>
    spec.delegate(prisma() as unknown as Tx).findUniqueOrThrow({ ...query, where: { id } }) as Promise<never>;
  const load = (tx: Tx, id: number) => spec.delegate(tx).findUnique({ where: { id } });
  const label = spec.name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  // The refs are typed per domain file; Pothos's generic field builder cannot infer them here.
  // biome-ignore lint/suspicious/noExplicitAny: the ref's type is the domain file's; any stands for it here.
  const type = spec.type as any;
  builder.mutationFields((t) => ({
    [spec.mutations.create]: t.prismaField({
      type,
      description: `Add a ${label} (steward scope). Revision 1 records who and why.`,
      args: {
        // biome-ignore lint/suspicious/noExplicitAny: the input ref is typed in its domain file.
        input: t.arg({ type: spec.createInput as any, required: true }),
        reason: t.arg.string({ required: true, description: 'Why it is added.' }),
      },
      resolve: async (query, _root, args, context) => {
        const changedBy = requireScope(context, 'steward');
        const reason = reasonArgument(args.reason as string);
        const id = await curate<Row>({
          entity: spec.entity,
          action: 'CREATE',
          changedBy,
          reason,
          snapshot: spec.snapshot,
          write: (tx) => spec.create(tx, args.input as CreateInput),
        });
        return find(query, id);
      },
    }),
    [spec.mutations.revise]: t.prismaField({
      type,
      description: `Change a ${label} (steward scope); the previous state stays in its revisions.`,
      args: {
        id: t.arg.id({ required: true }),
        // biome-ignore lint/suspicious/noExplicitAny: the input ref is typed in its domain file.
        input: t.arg({ type: spec.reviseInput as any, required: true }),
        reason: t.arg.string({ required: true, description: 'Why it changes.' }),
      },
      resolve: async (query, _root, args, context) => {
        const changedBy = requireScope(context, 'steward');
        const reason = reasonArgument(args.reason as string);
        const rowId = rowIdOf(args.id as string, spec.name);
        const changes = givenFields(args.input as object) as Partial<ReviseInput>;
        if (Object.keys(changes).length === 0) throw badField('input', 'must change at least one field');
        const id = await curate<Row>({
          entity: spec.entity,
          action: 'REVISE',
          id: rowId,
          changedBy,
          reason,
          load,
          snapshot: spec.snapshot,
          write: (tx, current) => spec.revise(tx, current!, changes),
        });
        return find(query, id);
      },
    }),
    [spec.mutations.retire]: t.prismaField({
      type,
      description: `Retire a ${label} (steward scope): it leaves current reads but stays, with its history.`,
      args: {
        id: t.arg.id({ required: true }),
        reason: t.arg.string({ required: true, description: 'Why it is retired.' }),
      },
      resolve: async (query, _root, args, context) => {
        const changedBy = requireScope(context, 'steward');
        const reason = reasonArgument(args.reason as string);
        const rowId = rowIdOf(args.id as string, spec.name);
        const id = await curate<Row>({
          entity: spec.entity,
          action: 'RETIRE',
          id: rowId,
          changedBy,
          reason,
          load,
          snapshot: spec.snapshot,
          write: (tx) => spec.delegate(tx).update({ where: { id: rowId }, data: { retiredAt: new Date() } }),
        });
        return find(query, id);
      },
    }),
  }));
}

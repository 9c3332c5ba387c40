// codes(filter:, orderBy:, first:, after:): the dashboard's paged, filtered code list. One
// release (in force on asOf, or named by filter.release); totalCount is counted only when asked.
import { prisma } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { atDate, today } from '../as-of.js';
import { MAX_PAGE_SIZE, pagedComplexity } from '../arguments.js';
import { builder } from '../builder.js';
import { codeRowsById } from '../code-rows.js';
import { Code } from './code.js';
import { CodeFilter, codeWhere, releaseForFilter } from './code-filter.js';

export const CodeOrder = builder.enumType('CodeOrder', {
  description: 'Order of a code list. Codes are unique within a release, so every order is stable.',
  values: { CODE_ASC: { description: 'A0021 first.' }, CODE_DESC: { description: 'V5364 first.' } } as const,
});

interface CodeListArgs {
  filter?: typeof CodeFilter.$inferInput | null;
  asOf?: Date | null;
}

async function listWhere(args: CodeListArgs) {
  const asOf = args.asOf ?? undefined;
  const release = await releaseForFilter(args.filter, asOf);
  return { release, asOf, where: release ? codeWhere(args.filter, release.id, asOf ?? today()) : null };
}

type PageQuery = { cursor?: { releaseId_code?: { code: string } }; skip?: number; take?: number };

/**
 * The page after (or before) a cursor as a keyset condition on the code. Prisma joins relations in
 * one statement only when the query has no `cursor`; with one it falls back to a statement per
 * relation (4 instead of 1 for a page of codes with coverage and payers). Codes are unique within
 * the release, so `code > cursor` (or `<`) is the same page as Prisma's cursor with `skip: 1`.
 */
function keysetPage<Q extends PageQuery>(
  query: Q,
  descending: boolean,
): { page: Omit<Q, 'cursor' | 'skip'>; where: Prisma.CodeVersionWhereInput } {
  const { cursor, skip: _skip, ...page } = query;
  const code = cursor?.releaseId_code?.code;
  if (code === undefined) return { page, where: {} };
  // A negative take pages backwards (before:, last:).
  const forward = (query.take ?? 0) >= 0;
  return { page, where: { code: forward !== descending ? { gt: code } : { lt: code } } };
}

builder.queryField('codes', (t) =>
  t.prismaConnection(
    {
      type: Code,
      cursor: 'releaseId_code',
      maxSize: MAX_PAGE_SIZE,
      complexity: (args) => pagedComplexity(args),
      description: `HCPCS Level II codes of one release (in force on asOf; the latest without it), filtered and ordered; at most ${MAX_PAGE_SIZE} per page.`,
      args: {
        filter: t.arg({ type: CodeFilter, required: false }),
        orderBy: t.arg({ type: CodeOrder, required: false, defaultValue: 'CODE_ASC' }),
        asOf: t.arg({ type: 'Date', required: false }),
      },
      resolve: async (query, _root, args, context) => {
        const { where, asOf } = await listWhere(args);
        if (!where) return [];
        const descending = args.orderBy === 'CODE_DESC';
        const { page, where: after } = keysetPage(query, descending);
        const list = {
          where: { AND: [where, after] },
          orderBy: { code: descending ? ('desc' as const) : ('asc' as const) },
        };
        // With the entity cache, the page's ids first (an index scan), then the rows not yet read
        // under this data version; without it, the page with its relations in one statement.
        const { take, ...selection } = page;
        const versions = context.codeRows
          ? await codeRowsById(
              context.codeRows,
              (await prisma().codeVersion.findMany({ ...list, take, select: { id: true } })).map((row) => row.id),
              selection,
            )
          : await prisma().codeVersion.findMany({ ...page, ...list });
        return atDate(versions, asOf);
      },
      totalCount: async (_connection, args) => {
        const { where } = await listWhere(args);
        return where ? prisma().codeVersion.count({ where }) : 0;
      },
    },
    {
      description: 'A page of codes.',
    },
  ),
);

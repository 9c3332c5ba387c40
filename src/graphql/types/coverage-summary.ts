// coverageSummary(groupBy: [PAYER, STATUS]): how many current coverage notes each payer has in
// each status, in one SQL statement.
import { Prisma } from '../../generated/prisma/client.js';
import type { CoverageStatus, PayerKind } from '../../generated/prisma/enums.js';
import { prisma } from '../../db/client.js';
import { builder } from '../builder.js';
import { badUserInput } from '../../errors.js';
import { CoverageStatusEnum } from './coverage-note.js';
import { Payer } from './payer.js';

export const CoverageSummaryDimension = builder.enumType('CoverageSummaryDimension', {
  values: { PAYER: { description: 'The payer.' }, STATUS: { description: 'What the note says.' } } as const,
});

interface PayerRow {
  id: number;
  slug: string;
  name: string;
  kind: PayerKind;
  website: string | null;
}

interface SummaryRow {
  payer: PayerRow | null;
  status: CoverageStatus | null;
  count: number;
}

const CoverageSummaryGroup = builder.objectRef<SummaryRow>('CoverageSummaryGroup').implement({
  description: 'Current coverage notes in one group; the fields not grouped by are null.',
  fields: (t) => ({
    payer: t.field({ type: Payer, nullable: true, resolve: (row) => row.payer }),
    status: t.field({ type: CoverageStatusEnum, nullable: true, resolve: (row) => row.status }),
    count: t.exposeInt('count'),
  }),
});

builder.queryField('coverageSummary', (t) =>
  t.field({
    type: [CoverageSummaryGroup],
    description:
      'Counts of current (not retired) coverage notes by payer and/or status, payers by name, statuses in the order of the CoverageStatus enum.',
    args: { groupBy: t.arg({ type: [CoverageSummaryDimension], required: true }) },
    resolve: async (_root, args) => {
      const byPayer = args.groupBy.includes('PAYER');
      const byStatus = args.groupBy.includes('STATUS');
      if (!byPayer && !byStatus) throw badUserInput('groupBy', 'must name PAYER, STATUS or both');
      const keys = [...(byPayer ? [Prisma.sql`p.id`] : []), ...(byStatus ? [Prisma.sql`n.status`] : [])];
      const rows = await prisma().$queryRaw<{ payer: PayerRow | null; status: CoverageStatus | null; count: number }[]>`
        SELECT ${byPayer ? Prisma.sql`json_build_object('id', p.id, 'slug', p.slug, 'name', p.name, 'kind', p.kind, 'website', p.website)` : Prisma.sql`NULL::json`} AS payer,
               ${byStatus ? Prisma.sql`n.status::text` : Prisma.sql`NULL::text`} AS status,
               count(*)::int AS count
        FROM coverage_note n JOIN payer p ON p.id = n.payer_id
        WHERE n.retired_at IS NULL
        GROUP BY ${Prisma.join(keys)}${byPayer ? Prisma.sql`, p.name` : Prisma.empty}
        ORDER BY ${Prisma.join([...(byPayer ? [Prisma.sql`p.name`, Prisma.sql`p.id`] : []), ...(byStatus ? [Prisma.sql`n.status`] : [])])}`;
      return rows;
    },
  }),
);

// codeStats(groupBy:, filter:): how many codes fall in each group (status, BETOS, coverage code,
// pricing indicator, first letter, release), with the total alongside. The filter selects the codes
// as it does for `codes` (one Prisma where: its rules are written once); grouping by status or first
// letter needs expressions Prisma lacks, so the groups are counted in SQL over those codes.
import { Prisma } from '../../generated/prisma/client.js';
import { prisma } from '../../db/client.js';
import { today } from '../as-of.js';
import { builder } from '../builder.js';
import { badUserInput } from '../../errors.js';
import { CodeStatus } from './code.js';
import { CodeFilter, codeWhere, releaseForFilter } from './code-filter.js';
import { statusSql } from '../../rules/code-status.js';

const DIMENSIONS = {
  STATUS: {
    column: 'status',
    description: 'ACTIVE or TERMINATED on the date asked.',
    sql: (day: Date) => statusSql(day),
  },
  BETOS: { column: 'betos', description: 'Berenson-Eggers type of service.', sql: () => Prisma.sql`cv.betos` },
  COVERAGE_CODE: {
    column: 'coverageCode',
    description: 'Medicare coverage code.',
    sql: () => Prisma.sql`cv.coverage_code`,
  },
  PRICING_INDICATOR: {
    column: 'pricingIndicator',
    description: 'Pricing indicator; a code with several is counted under each.',
    sql: () => Prisma.sql`pricing.indicator`,
  },
  CATEGORY: {
    column: 'category',
    description: 'First letter of the code (A transport and supplies, J drugs, ...).',
    sql: () => Prisma.sql`left(cv.code, 1)`,
  },
  RELEASE: {
    column: 'release',
    description: 'HCPCS release: counts every loaded release instead of one.',
    sql: () => Prisma.sql`r.name`,
  },
} as const;

type Dimension = keyof typeof DIMENSIONS;

export const CodeStatsDimension = builder.enumType('CodeStatsDimension', {
  description: 'What codeStats groups codes by.',
  values: Object.fromEntries(
    Object.entries(DIMENSIONS).map(([name, d]) => [name, { description: d.description }]),
  ) as Record<Dimension, { description: string }>,
});

interface GroupRow {
  status: 'ACTIVE' | 'TERMINATED' | null;
  betos: string | null;
  coverageCode: string | null;
  pricingIndicator: string | null;
  category: string | null;
  release: string | null;
  count: number;
}

const CodeStatsGroup = builder.objectRef<GroupRow>('CodeStatsGroup').implement({
  description: 'One group of codes; the fields not grouped by are null.',
  fields: (t) => ({
    status: t.field({ type: CodeStatus, nullable: true, resolve: (row) => row.status }),
    betos: t.exposeString('betos', { nullable: true }),
    coverageCode: t.exposeString('coverageCode', { nullable: true }),
    pricingIndicator: t.exposeString('pricingIndicator', { nullable: true }),
    category: t.exposeString('category', { nullable: true }),
    release: t.exposeString('release', { nullable: true }),
    count: t.exposeInt('count', { description: 'Codes in the group.' }),
  }),
});

const CodeStats = builder.objectRef<{ total: number; groups: GroupRow[] }>('CodeStats').implement({
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'Codes matching the filter (each counted once).' }),
    groups: t.field({
      type: [CodeStatsGroup],
      description: 'Groups in the order of groupBy, values ascending, empty values last.',
      resolve: (s) => s.groups,
    }),
  }),
});

builder.queryField('codeStats', (t) =>
  t.field({
    type: CodeStats,
    description: 'Counts of HCPCS codes grouped by one or more dimensions, over the codes the filter selects.',
    args: {
      groupBy: t.arg({ type: [CodeStatsDimension], required: true }),
      filter: t.arg({ type: CodeFilter, required: false }),
      asOf: t.arg({ type: 'Date', required: false }),
    },
    resolve: async (_root, args) => {
      const groupBy = [...new Set(args.groupBy)] as Dimension[];
      if (groupBy.length === 0)
        throw badUserInput('groupBy', `must name at least one of ${Object.keys(DIMENSIONS).join(', ')}`);
      const asOf = args.asOf ?? undefined;
      const day = asOf ?? today();
      const everyRelease = groupBy.includes('RELEASE');
      const release = everyRelease ? null : await releaseForFilter(args.filter, asOf);
      if (!everyRelease && !release) return { total: 0, groups: [] };
      const ids = (
        await prisma().codeVersion.findMany({
          where: codeWhere(args.filter, release?.id ?? null, day),
          select: { id: true },
        })
      ).map((row) => row.id);
      const columns = groupBy.map((d) => Prisma.raw(`"${DIMENSIONS[d].column}"`));
      const select = groupBy.map((d, i) => Prisma.sql`${DIMENSIONS[d].sql(day)} AS ${columns[i]!}`);
      // A code counted under several pricing indicators must still count once in the total, which
      // needs a grouping set; otherwise every row is one code and the groups add up to the total.
      const unnests = groupBy.includes('PRICING_INDICATOR');
      const rows = await prisma().$queryRaw<(GroupRow & { grouped: number })[]>`
        SELECT ${Prisma.join(columns)}, ${unnests ? Prisma.sql`count(DISTINCT id)` : Prisma.sql`count(*)`}::int AS count,
               ${unnests ? Prisma.sql`GROUPING(${Prisma.join(columns)})` : Prisma.sql`0`} AS grouped
        FROM (
          SELECT cv.id, ${Prisma.join(select)}
          FROM code_version cv
          JOIN release r ON r.id = cv.release_id
          ${unnests ? Prisma.sql`LEFT JOIN LATERAL unnest(cv.pricing_indicators) AS pricing(indicator) ON TRUE` : Prisma.empty}
          WHERE cv.id = ANY(${ids}::int[])
        ) coded
        GROUP BY ${unnests ? Prisma.sql`GROUPING SETS ((${Prisma.join(columns)}), ())` : Prisma.join(columns)}
        ORDER BY ${Prisma.join(columns.map((column) => Prisma.sql`${column} ASC NULLS LAST`))}`;
      const groups = rows.filter((row) => row.grouped === 0);
      const total = unnests
        ? (rows.find((row) => row.grouped !== 0)?.count ?? 0)
        : groups.reduce((sum, row) => sum + row.count, 0);
      const blank = {
        status: null,
        betos: null,
        coverageCode: null,
        pricingIndicator: null,
        category: null,
        release: null,
      };
      return { total, groups: groups.map(({ grouped: _grouped, ...row }) => ({ ...blank, ...row })) };
    },
  }),
);

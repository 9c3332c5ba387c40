// CodeFilter: how dashboards slice the code set. Used by `codes` (as a Prisma where) and by
// `codeStats` (as SQL, since grouping by status or first letter needs expressions Prisma lacks).
// Both translations sit side by side here so they cannot drift apart unnoticed.
import { Prisma } from '../../generated/prisma/client.js';
import { prisma } from '../../db/client.js';
import { releaseInForce, releaseNamed, type ReleaseRef } from '../../db/releases.js';
import { builder } from '../builder.js';
import { badUserInput } from '../../errors.js';
import { CoverageStatusEnum } from './coverage-note.js';
import { CodeStatus, payerWhere } from './code.js';

const CODE_BOUND = /^[A-Z][0-9]{0,4}$/;

export const CodeCoverageFilter = builder.inputType('CodeCoverageFilter', {
  description: 'Codes with a current coverage note matching all of these.',
  fields: (t) => ({
    payer: t.id({ required: false, description: 'Payer ID or slug (e.g. aetna).' }),
    status: t.field({ type: CoverageStatusEnum, required: false }),
  }),
});

export const CodeFilter = builder.inputType('CodeFilter', {
  fields: (t) => ({
    codePrefix: t.string({ required: false, description: 'Codes starting with this text, e.g. A95.' }),
    codeFrom: t.string({ required: false, description: 'Codes from this one on, inclusive (e.g. A9500).' }),
    codeTo: t.string({ required: false, description: 'Codes up to this one, inclusive (e.g. A9999).' }),
    status: t.field({ type: CodeStatus, required: false }),
    betos: t.stringList({ required: false, description: 'Berenson-Eggers type of service codes, e.g. [I1E].' }),
    coverageCode: t.stringList({ required: false, description: 'Medicare coverage codes (C, D, I, M, S).' }),
    pricingIndicator: t.string({ required: false, description: 'Codes with this pricing indicator among PRICE1..PRICE4, e.g. 57.' }),
    typeOfService: t.string({ required: false, description: 'Codes with this CMS type of service among TOS1..TOS5.' }),
    release: t.string({ required: false, description: 'HCPCS release name (e.g. 2025-10) instead of the one in force.' }),
    hasCoverage: t.field({ type: CodeCoverageFilter, required: false }),
  }),
});

export type CodeFilterInput = typeof CodeFilter.$inferInput;

function codeBound(value: string | null | undefined, argument: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const code = value.trim().toUpperCase();
  if (!CODE_BOUND.test(code)) throw badUserInput(argument, `must be a HCPCS code or its start, e.g. A9500 (got "${value.slice(0, 20)}")`);
  return code;
}

/** The HCPCS release the filter reads: by name when given, else the one in force on asOf. */
export async function releaseForFilter(filter: CodeFilterInput | null | undefined, asOf: Date | undefined): Promise<ReleaseRef | null> {
  if (!filter?.release) return releaseInForce(prisma(), 'HCPCS', asOf);
  const release = await releaseNamed(prisma(), 'HCPCS', filter.release);
  if (!release) throw badUserInput('filter.release', `names no loaded HCPCS release (got "${filter.release.slice(0, 40)}")`);
  return release;
}

/** Validated, normalised filter values. */
function normalise(filter: CodeFilterInput | null | undefined) {
  return {
    prefix: filter?.codePrefix?.trim().toUpperCase() || undefined,
    from: codeBound(filter?.codeFrom, 'filter.codeFrom'),
    to: codeBound(filter?.codeTo, 'filter.codeTo'),
    status: filter?.status ?? undefined,
    betos: filter?.betos?.length ? filter.betos : undefined,
    coverageCode: filter?.coverageCode?.length ? filter.coverageCode : undefined,
    pricingIndicator: filter?.pricingIndicator ?? undefined,
    typeOfService: filter?.typeOfService ?? undefined,
    coverage: filter?.hasCoverage ?? undefined,
  };
}

/** The filter as a Prisma where over CodeVersion (releaseId null: every release). */
export function codeWhere(filter: CodeFilterInput | null | undefined, releaseId: number | null, day: Date): Prisma.CodeVersionWhereInput {
  const f = normalise(filter);
  const and: Prisma.CodeVersionWhereInput[] = [];
  if (releaseId !== null) and.push({ releaseId });
  if (f.prefix) and.push({ code: { startsWith: f.prefix } });
  if (f.from) and.push({ code: { gte: f.from } });
  if (f.to) and.push({ code: { lte: f.to.padEnd(5, '9') } });
  if (f.status === 'ACTIVE') and.push({ OR: [{ terminationDate: null }, { terminationDate: { gte: day } }] });
  if (f.status === 'TERMINATED') and.push({ terminationDate: { lt: day } });
  if (f.betos) and.push({ betos: { in: f.betos } });
  if (f.coverageCode) and.push({ coverageCode: { in: f.coverageCode } });
  if (f.pricingIndicator) and.push({ pricingIndicators: { has: f.pricingIndicator } });
  if (f.typeOfService) and.push({ typesOfService: { has: f.typeOfService } });
  if (f.coverage) {
    and.push({
      identity: {
        coverageNotes: {
          some: {
            retiredAt: null,
            ...(f.coverage.payer ? { payer: payerWhere([f.coverage.payer]) } : {}),
            ...(f.coverage.status ? { status: f.coverage.status } : {}),
          },
        },
      },
    });
  }
  return { AND: and };
}

/** The same filter as SQL over `code_version cv` (releaseId null: every release). */
export function codeFilterSql(filter: CodeFilterInput | null | undefined, releaseId: number | null, day: Date): Prisma.Sql {
  const f = normalise(filter);
  const and: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (releaseId !== null) and.push(Prisma.sql`cv.release_id = ${releaseId}`);
  if (f.prefix) and.push(Prisma.sql`cv.code LIKE ${`${f.prefix.replace(/[\\%_]/g, '\\$&')}%`}`);
  if (f.from) and.push(Prisma.sql`cv.code >= ${f.from}`);
  if (f.to) and.push(Prisma.sql`cv.code <= ${f.to.padEnd(5, '9')}`);
  if (f.status === 'ACTIVE') and.push(Prisma.sql`(cv.termination_date IS NULL OR cv.termination_date >= ${day}::date)`);
  if (f.status === 'TERMINATED') and.push(Prisma.sql`cv.termination_date < ${day}::date`);
  if (f.betos) and.push(Prisma.sql`cv.betos = ANY(${f.betos}::text[])`);
  if (f.coverageCode) and.push(Prisma.sql`cv.coverage_code = ANY(${f.coverageCode}::text[])`);
  if (f.pricingIndicator) and.push(Prisma.sql`${f.pricingIndicator} = ANY(cv.pricing_indicators)`);
  if (f.typeOfService) and.push(Prisma.sql`${f.typeOfService} = ANY(cv.types_of_service)`);
  if (f.coverage) {
    const payer = f.coverage.payer ? String(f.coverage.payer) : null;
    and.push(Prisma.sql`EXISTS (
      SELECT 1 FROM coverage_note n JOIN payer p ON p.id = n.payer_id
      WHERE n.code_id = cv.code_id AND n.retired_at IS NULL
        AND (${payer}::text IS NULL OR p.slug = lower(${payer}::text) OR p.id::text = ${payerIdOf(payer)}::text)
        AND (${f.coverage.status ?? null}::text IS NULL OR n.status::text = ${f.coverage.status ?? null}::text))`);
  }
  return Prisma.join(and, ' AND ');
}

/** The numeric id of a Payer global ID, or null (the value is then a slug). */
function payerIdOf(value: string | null): string | null {
  if (value === null) return null;
  const where = payerWhere([value]);
  const ids = (where.OR?.[0]?.id as { in?: number[] } | undefined)?.in ?? [];
  return ids.length > 0 ? String(ids[0]) : null;
}

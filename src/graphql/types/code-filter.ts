// CodeFilter: how dashboards slice the code set, as one Prisma where over CodeVersion, used by
// `codes` and (for the ids it selects) by `codeStats`.
import type { Prisma } from '../../generated/prisma/client.js';
import { prisma } from '../../db/client.js';
import { releaseInForce, releaseNamed, type ReleaseRef } from '../../db/releases.js';
import { HCPCS_CODE_START } from '../../rules/code-patterns.js';
import { statusWhere } from '../../rules/code-status.js';
import { builder } from '../builder.js';
import { badUserInput } from '../../errors.js';
import { CoverageStatusEnum } from './coverage-note.js';
import { CodeStatus, payerWhere } from './code.js';

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
    pricingIndicator: t.string({
      required: false,
      description: 'Codes with this pricing indicator among PRICE1..PRICE4, e.g. 57.',
    }),
    typeOfService: t.string({ required: false, description: 'Codes with this CMS type of service among TOS1..TOS5.' }),
    release: t.string({
      required: false,
      description: 'HCPCS release name (e.g. 2025-10) instead of the one in force.',
    }),
    hasCoverage: t.field({ type: CodeCoverageFilter, required: false }),
  }),
});

export type CodeFilterInput = typeof CodeFilter.$inferInput;

function codeBound(value: string | null | undefined, argument: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const code = value.trim().toUpperCase();
  if (!HCPCS_CODE_START.test(code))
    throw badUserInput(argument, `must be a HCPCS code or its start, e.g. A9500 (got "${value.slice(0, 20)}")`);
  return code;
}

/** The HCPCS release the filter reads: by name when given, else the one in force on asOf. */
export async function releaseForFilter(
  filter: CodeFilterInput | null | undefined,
  asOf: Date | undefined,
): Promise<ReleaseRef | null> {
  if (!filter?.release) return releaseInForce(prisma(), 'HCPCS', asOf);
  const release = await releaseNamed(prisma(), 'HCPCS', filter.release);
  if (!release)
    throw badUserInput('filter.release', `names no loaded HCPCS release (got "${filter.release.slice(0, 40)}")`);
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
export function codeWhere(
  filter: CodeFilterInput | null | undefined,
  releaseId: number | null,
  day: Date,
): Prisma.CodeVersionWhereInput {
  const f = normalise(filter);
  const and: Prisma.CodeVersionWhereInput[] = [];
  if (releaseId !== null) and.push({ releaseId });
  if (f.prefix) and.push({ code: { startsWith: f.prefix } });
  if (f.from) and.push({ code: { gte: f.from } });
  if (f.to) and.push({ code: { lte: f.to.padEnd(5, '9') } });
  if (f.status) and.push(statusWhere(f.status, day));
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

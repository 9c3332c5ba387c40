// The Code type: a HCPCS Level II code as one release gives it (a CodeVersion row), joined to
// what refgraph knows about the code itself (sites, modifiers, coverage, relations, ...). A list
// field's complexity says how many items it holds at most in practice (a code has a handful of
// sites and modifiers, one note per payer and region): the cost limit multiplies by it.
import type { Prisma } from '../../generated/prisma/client.js';
import { prisma } from '../../db/client.js';
import { releaseInForce } from '../../db/releases.js';
import { askedAsOf, atDate, dateOf } from '../as-of.js';
import { AS_OF_KEYS, modifiersAsOf } from '../versions-as-of.js';
import { hcpcsCodeArgument } from '../arguments.js';
import { codeStatusOn } from '../../rules/code-status.js';
import { builder } from '../builder.js';
import { codesInRelease } from '../code-rows.js';
import { rowIdNode } from '../global-id.js';
import { CoverageNote, CoverageStatusEnum, coverageAsOf } from './coverage-note.js';
import { RelatedCode, type RelatedCodeShape } from './code-relation.js';
import { Benchmark } from './benchmark.js';
import { ClinicalContext } from './clinical-context.js';
import { payerKey } from './payer.js';
import { CodeDiagnosis } from './diagnosis.js';
import { CodeModifier } from './modifier.js';
import { SiteOfService } from './place-of-service.js';
import { CodeTaxonomy } from './taxonomy.js';

export const CodeStatus = builder.enumType('CodeStatus', {
  description: 'Whether a code may be billed on the date asked.',
  values: {
    ACTIVE: { description: 'Added on or before the date, and not terminated before it.' },
    TERMINATED: { description: 'Its termination date is before the date asked.' },
  } as const,
});

export const CodeSection = builder.enumType('CodeSection', {
  description: 'A section of a code profile; `Code.missing` lists those with no data.',
  values: [
    'SITES_OF_SERVICE',
    'MODIFIERS',
    'COVERAGE',
    'RELATED_CODES',
    'TAXONOMIES',
    'DIAGNOSES',
    'BENCHMARKS',
    'CLINICAL_CONTEXT',
  ] as const,
});

const live = { retiredAt: null } as const;

/** Payer filter values may be global IDs (Payer:...) or payer slugs. */
export function payerWhere(ids: readonly (string | number)[]): Prisma.PayerWhereInput {
  const keys = ids.map((id) => payerKey(id));
  return {
    OR: [
      { id: { in: keys.flatMap((key) => ('id' in key ? [key.id] : [])) } },
      { slug: { in: keys.flatMap((key) => ('slug' in key ? [key.slug] : [])) } },
    ],
  };
}

export const Code = builder.prismaNode('CodeVersion', {
  name: 'Code',
  id: rowIdNode,
  nullable: true,
  description:
    'A HCPCS Level II code as one release of the CMS file gives it, with everything refgraph knows about it.',
  // Select mode: only the columns the query asks for are loaded (a code version has ~25).
  select: {},
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The HCPCS Level II code, e.g. A9597.' }),
    shortDescription: t.exposeString('shortDescription'),
    longDescription: t.exposeString('longDescription'),
    status: t.field({
      type: CodeStatus,
      description: 'ACTIVE or TERMINATED on the date asked (today without asOf).',
      select: { terminationDate: true },
      resolve: (version) => codeStatusOn(version.terminationDate, dateOf(version)),
    }),
    release: t.relation('release', { description: 'The release these descriptions and attributes come from.' }),
    releaseName: t.string({
      description:
        'Name of that release (e.g. 2025-10); with `code`, the key that pins a federated reference to one release.',
      select: { release: { select: { name: true } } },
      resolve: (version) => version.release.name,
    }),
    addDate: t.expose('addDate', { type: 'Date', nullable: true }),
    actionEffectiveDate: t.expose('actionEffectiveDate', { type: 'Date', nullable: true }),
    terminationDate: t.expose('terminationDate', { type: 'Date', nullable: true }),
    actionCode: t.exposeString('actionCode', { nullable: true }),
    coverageCode: t.exposeString('coverageCode', { nullable: true }),
    pricingIndicators: t.exposeStringList('pricingIndicators'),
    multiplePricingIndicator: t.exposeString('multiplePricingIndicator', { nullable: true }),
    betos: t.exposeString('betos', { nullable: true }),
    typesOfService: t.exposeStringList('typesOfService'),
    anesthesiaBaseUnits: t.exposeInt('anesthesiaBaseUnits', { nullable: true }),
    processingNote: t.exposeString('processingNote', { nullable: true }),
    statute: t.exposeString('statute', { nullable: true }),
    labCertifications: t.exposeStringList('labCertifications'),
    cimReferences: t.exposeStringList('cimReferences'),
    mcmReferences: t.exposeStringList('mcmReferences'),
    ascGroup: t.exposeString('ascGroup', { nullable: true }),
    serviceType: t.string({
      nullable: true,
      description: 'Plain-language kind of service (curated by refgraph).',
      select: { identity: { select: { serviceType: true } } },
      resolve: (version) => version.identity.serviceType,
    }),
    sitesOfService: t.field({
      complexity: { field: 1, multiplier: 5 },
      type: [SiteOfService],
      select: (_args, _ctx, nestedSelection) => ({
        identity: { select: { sitesOfService: nestedSelection({ where: live, orderBy: { id: 'asc' as const } }) } },
      }),
      resolve: (version) => version.identity.sitesOfService,
    }),
    modifiers: t.field({
      complexity: { field: 1, multiplier: 5 },
      type: [CodeModifier],
      description:
        'Modifiers with guidance for this code; for a code asked as of a date, those in force then, as that release gave them.',
      select: (_args, _ctx, nestedSelection) => ({
        identity: {
          select: {
            modifiers: nestedSelection({
              orderBy: { modifierId: 'asc' as const },
              select: { modifier: { select: AS_OF_KEYS.MODIFIER } },
            }),
          },
        },
      }),
      resolve: async (version, _args, context) => {
        const links = version.identity.modifiers;
        const asOf = askedAsOf(version);
        if (!asOf) return links;
        const inForce = new Map(
          (
            await modifiersAsOf(
              context,
              links.map((link) => link.modifier),
              asOf,
            )
          ).map((m) => [m.id, m]),
        );
        return links.flatMap((link) => {
          const modifier = inForce.get(link.modifier.id);
          return modifier ? [{ ...link, modifier }] : [];
        });
      },
    }),
    coverage: t.field({
      complexity: { field: 1, multiplier: 10 },
      type: [CoverageNote],
      description:
        'Coverage notes from payers (current ones, or as they stood at asOf), optionally for some payers or statuses.',
      args: {
        payers: t.arg.idList({ required: false, description: 'Payer IDs or slugs (e.g. aetna, medicare).' }),
        status: t.arg({ type: [CoverageStatusEnum], required: false }),
        asOf: t.arg({
          type: 'DateTime',
          required: false,
          description: 'Answer with the notes as they stood at this instant, rebuilt from their revisions.',
        }),
      },
      select: (args, _ctx, nestedSelection) => ({
        identity: {
          select: {
            coverageNotes: nestedSelection({
              where: {
                // With asOf, retired notes and statuses are decided from the revisions (coverageAsOf).
                ...(args.asOf ? { createdAt: { lte: args.asOf } } : live),
                ...(args.payers ? { payer: payerWhere(args.payers) } : {}),
                ...(args.status && !args.asOf ? { status: { in: args.status } } : {}),
              },
              orderBy: [{ payerId: 'asc' as const }, { id: 'asc' as const }],
              // coverageAsOf decides from these whichever fields the query asks for (CoverageNote is in select mode).
              ...(args.asOf ? { select: { id: true, status: true, createdAt: true, retiredAt: true } } : {}),
            }),
          },
        },
      }),
      resolve: async (version, args, context) => {
        if (!args.asOf) return version.identity.coverageNotes;
        const notes = await coverageAsOf(context, version.identity.coverageNotes, args.asOf);
        return args.status ? notes.filter((note) => args.status!.includes(note.status)) : notes;
      },
    }),
    relatedCodes: t.field({
      complexity: { field: 1, multiplier: 10 },
      type: [RelatedCode],
      description: 'Related codes: curated relations, then the cross-references in the CMS file.',
      select: {
        crossReferences: true,
        release: { select: { name: true } },
        identity: { select: { relations: { where: live, orderBy: { id: 'asc' as const } } } },
      },
      resolve: (version): RelatedCodeShape[] => [
        ...version.identity.relations.map((relation) => ({
          kind: relation.kind,
          system: relation.relatedSystem,
          code: relation.relatedCode,
          note: relation.note,
          source: relation.source,
        })),
        ...version.crossReferences.map((code) => ({
          kind: 'CROSS_REFERENCE' as const,
          system: 'HCPCS',
          code,
          note: null,
          source: `HCPCS release ${version.release.name} (XREF)`,
        })),
      ],
    }),
    taxonomies: t.field({
      complexity: { field: 1, multiplier: 10 },
      type: [CodeTaxonomy],
      select: (_args, _ctx, nestedSelection) => ({
        identity: { select: { taxonomies: nestedSelection({ where: live, orderBy: { id: 'asc' as const } }) } },
      }),
      resolve: (version) => version.identity.taxonomies,
    }),
    diagnoses: t.field({
      complexity: { field: 1, multiplier: 20 },
      type: [CodeDiagnosis],
      select: (_args, _ctx, nestedSelection) => ({
        identity: { select: { diagnoses: nestedSelection({ where: live, orderBy: { id: 'asc' as const } }) } },
      }),
      resolve: (version) => version.identity.diagnoses,
    }),
    benchmarks: t.field({
      complexity: { field: 1, multiplier: 5 },
      type: [Benchmark],
      description: 'Payment benchmarks (OPPS status indicator and rate), newest release first.',
      select: (_args, _ctx, nestedSelection) => ({
        identity: {
          select: {
            benchmarks: nestedSelection({
              orderBy: [{ release: { effectiveDate: 'desc' as const } }, { id: 'desc' as const }],
            }),
          },
        },
      }),
      resolve: (version) => version.identity.benchmarks,
    }),
    clinicalContext: t.field({
      type: ClinicalContext,
      nullable: true,
      select: (_args, _ctx, nestedSelection) => ({
        identity: { select: { clinicalContext: nestedSelection(true) } },
      }),
      resolve: (version) => version.identity.clinicalContext,
    }),
    missing: t.field({
      type: [CodeSection],
      description: 'Sections with no data. refgraph states absence; it never fills a gap with a guess.',
      select: {
        crossReferences: true,
        identity: {
          select: {
            clinicalContext: { select: { id: true } },
            _count: {
              select: {
                sitesOfService: { where: live },
                modifiers: true,
                coverageNotes: { where: live },
                relations: { where: live },
                taxonomies: { where: live },
                diagnoses: { where: live },
                benchmarks: true,
              },
            },
          },
        },
      },
      resolve: (version) => {
        const count = version.identity._count;
        const present: Record<typeof CodeSection.$inferType, boolean> = {
          SITES_OF_SERVICE: count.sitesOfService > 0,
          MODIFIERS: count.modifiers > 0,
          COVERAGE: count.coverageNotes > 0,
          RELATED_CODES: count.relations > 0 || version.crossReferences.length > 0,
          TAXONOMIES: count.taxonomies > 0,
          DIAGNOSES: count.diagnoses > 0,
          BENCHMARKS: count.benchmarks > 0,
          CLINICAL_CONTEXT: version.identity.clinicalContext !== null,
        };
        return (Object.keys(present) as (keyof typeof present)[]).filter((section) => !present[section]);
      },
    }),
  }),
});

builder.queryFields((t) => ({
  code: t.prismaField({
    type: Code,
    nullable: true,
    description: 'A HCPCS Level II code as of a date (the latest release without asOf); null when unknown.',
    args: {
      code: t.arg.string({ required: true, description: 'A HCPCS Level II code, e.g. A9597.' }),
      asOf: t.arg({ type: 'Date', required: false, description: 'Answer as the code stood on this date.' }),
    },
    resolve: async (query, _root, args, context) => {
      const code = hcpcsCodeArgument(args.code);
      const asOf = args.asOf ?? undefined;
      const release = await releaseInForce(prisma(), 'HCPCS', asOf);
      if (!release) return null;
      const [version] = await codesInRelease(context.codeRows, release.id, [code], query);
      if (!version) return null;
      if (asOf && version.addDate && version.addDate > asOf) return null;
      return atDate([version], asOf)[0]!;
    },
  }),
}));

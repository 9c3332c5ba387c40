// Gathers a code's national briefing from the database, with a fixed number of statements (the
// release in force, the code with everything joined to it, the payers in scope). Every fact
// carries where it comes from (`source`) and which release or curation date (`release`); nothing
// is inferred: a section with no rows is reported as missing.
import type { Payer, Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { CoverageScope, CoverageStatus, PayerKind } from '../generated/prisma/enums.js';
import { releaseInForce } from '../db/releases.js';
import { groupBy } from '../group-by.js';
import { codeStatusOn } from '../rules/code-status.js';

export interface Provenance {
  /** Who says so: a publisher's file, a policy URL, or refgraph's curation with its source note. */
  source: string;
  /** Which release of that file, or when refgraph curated or reviewed it. */
  release: string;
}

export interface BriefingFact extends Provenance {
  label: string;
  value: string;
}

export interface BriefingSite extends Provenance {
  setting: string;
  placeOfService: string | null;
  note: string | null;
}

export interface BriefingModifier extends Provenance {
  modifier: string;
  description: string;
  whenToUse: string;
  /** Where the modifier's description comes from (the guidance's own provenance is `source`/`release`). */
  descriptionSource: string;
  descriptionRelease: string;
}

export interface BriefingTaxonomy extends Provenance {
  /** The NUCC code, e.g. 2085R0202X. */
  taxonomy: string;
  displayName: string | null;
  classification: string;
  specialization: string | null;
  note: string | null;
  /** Where the taxonomy's names come from (the link's own provenance is `source`/`release`). */
  descriptionSource: string;
  descriptionRelease: string;
}

export interface BriefingDiagnosis extends Provenance {
  /** ICD-10-CM code without the dot. */
  diagnosis: string;
  description: string;
  note: string | null;
  descriptionSource: string;
}

export interface BriefingWorkflowStep {
  stage: string;
  actor: string;
  description: string;
}

export interface BriefingClinicalContext extends Provenance {
  scenario: string;
  workflow: BriefingWorkflowStep[];
  componentBilling: string;
}

export interface BriefingCoverage extends Provenance {
  status: CoverageStatus;
  scope: CoverageScope;
  region: string | null;
  policy: string | null;
  summary: string;
  effectiveDate: Date | null;
}

export interface BriefingPayer {
  slug: string;
  name: string;
  kind: PayerKind;
  /** Empty when refgraph holds no current note from this payer. */
  notes: BriefingCoverage[];
}

export interface BriefingBenchmark extends Provenance {
  effectiveDate: Date;
  statusIndicator: string | null;
  apc: string | null;
  paymentRate: string | null;
  relativeWeight: string | null;
  nationalCopayment: string | null;
  minimumCopayment: string | null;
}

export interface BriefingChange extends Provenance {
  effectiveDate: Date;
  /** The release compared against. */
  previousRelease: string;
  field: string;
  before: string | null;
  after: string | null;
}

/** A release of the HCPCS file that carried the code, and which of its fields changed there. */
export interface BriefingRelease extends Provenance {
  effectiveDate: Date;
  /** Labels of the CMS fields that differ from the release before; null for the first one refgraph holds. */
  changedFields: string[] | null;
}

export const BRIEFING_SECTIONS = [
  'SUMMARY',
  'BILLING_OVERVIEW',
  'CODING_SPECIFICATIONS',
  'TAXONOMIES',
  'DIAGNOSES',
  'CLINICAL_CONTEXT',
  'PAYERS',
  'BENCHMARKS',
  'RECENT_CHANGES',
] as const;
export type BriefingSectionName = (typeof BRIEFING_SECTIONS)[number];

export interface Briefing {
  code: string;
  asOf: Date;
  /** The HCPCS release the code's descriptions come from. */
  release: string;
  summary: BriefingFact[];
  /** One paragraph that restates counts and facts from the sections; it adds nothing. */
  overview: string;
  billing: BriefingFact[];
  sitesOfService: BriefingSite[];
  modifiers: BriefingModifier[];
  /** Provider taxonomies that typically perform or bill the code. */
  taxonomies: BriefingTaxonomy[];
  /** Diagnoses that commonly support its medical necessity. */
  diagnoses: BriefingDiagnosis[];
  /** A typical scenario, the workflow from order to report, and who bills which component. */
  clinicalContext: BriefingClinicalContext | null;
  payers: BriefingPayer[];
  benchmarks: BriefingBenchmark[];
  recentChanges: BriefingChange[];
  /** Every release that carried the code up to `asOf`, oldest first (official ones once any is loaded). */
  releases: BriefingRelease[];
  /** Sections with no data, which the rendered briefing marks "Data not available". */
  missing: BriefingSectionName[];
}

export interface BriefingOptions {
  asOf?: Date;
  /** Payers in scope (default: every payer refgraph records). */
  payers?: Prisma.PayerWhereInput;
}

/** How many recent changes a briefing lists, newest first. */
export const MAX_RECENT_CHANGES = 20;

/** CMS fields compared from one release to the next, with the names a reader knows them by. */
const CHANGE_FIELDS = [
  ['longDescription', 'Long description'],
  ['shortDescription', 'Short description'],
  ['addDate', 'Add date'],
  ['terminationDate', 'Termination date'],
  ['actionCode', 'CMS action code'],
  ['actionEffectiveDate', 'Action effective date'],
  ['coverageCode', 'Medicare coverage code'],
  ['pricingIndicators', 'Pricing indicators'],
  ['multiplePricingIndicator', 'Multiple pricing indicator'],
  ['betos', 'BETOS'],
  ['typesOfService', 'Types of service'],
  ['processingNote', 'Processing note'],
  ['anesthesiaBaseUnits', 'Anesthesia base units'],
  ['crossReferences', 'Cross-references'],
] as const;

type ChangeField = (typeof CHANGE_FIELDS)[number][0];

const live = { retiredAt: null } as const;
const systemRelease = {
  select: {
    name: true,
    origin: true,
    effectiveDate: true,
    sourceFile: true,
    system: { select: { name: true, publisher: true } },
  },
} as const;

type ReleaseShape = {
  name: string;
  origin: 'OFFICIAL' | 'STARTER';
  sourceFile: string | null;
  system: { name: string; publisher: string };
};

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function today(): Date {
  return new Date(`${isoDate(new Date())}T00:00:00Z`);
}

/** "CMS HCPCS Level II (HCPC2025_OCT_ANWEB_v4.xlsx)", or refgraph's starter copy of it. */
function releaseSource(release: ReleaseShape): string {
  const file = `${release.system.publisher} ${release.system.name}`;
  if (release.origin === 'STARTER') return `refgraph starter data (as published in the ${file} file)`;
  return release.sourceFile ? `${file} (${release.sourceFile})` : file;
}

function curated(source: string, createdAt: Date): Provenance {
  return { source: `refgraph curation: ${source}`, release: `curated ${isoDate(createdAt)}` };
}

function display(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return isoDate(value);
  if (Array.isArray(value)) return value.length ? value.join(', ') : null;
  return String(value);
}

/** The CMS fields (CHANGE_FIELDS) whose values differ between two versions of a code. */
function fieldChanges(
  before: Record<ChangeField, unknown>,
  after: Record<ChangeField, unknown>,
): { label: string; was: string | null; is: string | null }[] {
  return CHANGE_FIELDS.flatMap(([field, label]) => {
    const was = display(before[field]);
    const is = display(after[field]);
    return was === is ? [] : [{ label, was, is }];
  });
}

/** What a briefing reads of a code version: everything joined to it that the sections show. */
function briefingInclude(asOf: Date, payers: Prisma.PayerWhereInput | undefined) {
  return {
    release: systemRelease,
    identity: {
      include: {
        sitesOfService: { where: live, orderBy: { id: 'asc' }, include: { placeOfService: true } },
        modifiers: { orderBy: { modifierId: 'asc' }, include: { modifier: { include: { release: systemRelease } } } },
        taxonomies: {
          where: live,
          orderBy: { id: 'asc' },
          include: { taxonomy: { include: { release: systemRelease } } },
        },
        diagnoses: { where: live, orderBy: { id: 'asc' }, include: { diagnosis: true } },
        clinicalContext: true,
        coverageNotes: {
          where: {
            ...live,
            OR: [{ effectiveDate: null }, { effectiveDate: { lte: asOf } }],
            ...(payers ? { payer: payers } : {}),
          },
          orderBy: [{ payerId: 'asc' }, { id: 'asc' }],
        },
        benchmarks: {
          where: { release: { effectiveDate: { lte: asOf } } },
          orderBy: [{ release: { effectiveDate: 'desc' } }, { id: 'desc' }],
          include: { release: systemRelease },
        },
        versions: {
          where: { release: { effectiveDate: { lte: asOf } } },
          orderBy: [{ release: { effectiveDate: 'asc' } }, { releaseId: 'asc' }],
          include: { release: systemRelease },
        },
      },
    },
  } satisfies Prisma.CodeVersionInclude;
}

type BriefedVersion = Prisma.CodeVersionGetPayload<{ include: ReturnType<typeof briefingInclude> }>;
type BriefedCode = BriefedVersion['identity'];

/** The code's briefing as of `asOf` (today by default), or null when the code is unknown then. */
export async function collectBriefing(
  db: PrismaClient,
  code: string,
  options: BriefingOptions = {},
): Promise<Briefing | null> {
  const asOf = options.asOf ?? today();
  const loaded = await loadBriefedVersion(db, code, asOf, options.payers);
  return loaded ? briefingOf(loaded.version, loaded.payersInScope, asOf) : null;
}

/**
 * The code's version in the HCPCS release in force and the payers in scope; null when the code is unknown on `asOf`.
 */
async function loadBriefedVersion(
  db: PrismaClient,
  code: string,
  asOf: Date,
  payers: Prisma.PayerWhereInput | undefined,
) {
  const inForce = await releaseInForce(db, 'HCPCS', asOf);
  if (!inForce) return null;

  const [version, payersInScope] = await Promise.all([
    db.codeVersion.findUnique({
      where: { releaseId_code: { releaseId: inForce.id, code } },
      include: briefingInclude(asOf, payers),
    }),
    db.payer.findMany({ where: payers ?? {}, orderBy: { name: 'asc' } }),
  ]);
  if (!version || (version.addDate && version.addDate > asOf)) return null;
  return { version, payersInScope };
}

/** Every section of the briefing built from what was read, then the missing list and the overview that restate them. */
function briefingOf(version: BriefedVersion, payersInScope: Payer[], asOf: Date): Briefing {
  const identity = version.identity;
  const cms: Provenance = { source: releaseSource(version.release), release: version.release.name };
  const status = codeStatusOn(version.terminationDate, asOf);
  const history = releaseHistory(identity.versions);
  const steps = releaseSteps(history);
  const summary = summaryFacts(version, status, asOf, cms);
  const sections: Sections = {
    billing: billingFacts(version, cms),
    sitesOfService: sitesOfService(identity),
    modifiers: modifierRows(identity),
    taxonomies: taxonomyRows(identity),
    diagnoses: diagnosisRows(identity),
    clinicalContext: clinicalContextOf(identity),
    payers: payersWithNotes(payersInScope, identity.coverageNotes),
    benchmarks: benchmarkRows(identity),
    recentChanges: recentChanges(steps),
    releases: releaseRows(history, steps),
  };
  const missing = missingSections(sections, identity.coverageNotes.length);
  const overview = overviewOf(version, status, asOf, sections, identity.coverageNotes.length, history.length);
  return { code: version.code, asOf, release: version.release.name, summary, overview, ...sections, missing };
}

/** The briefing's sections after the summary, in the order a briefing lists them. */
type Sections = Omit<Briefing, 'code' | 'asOf' | 'release' | 'summary' | 'overview' | 'missing'>;

function summaryFacts(version: BriefedVersion, status: string, asOf: Date, cms: Provenance): BriefingFact[] {
  return [
    { label: 'Code', value: version.code, ...cms },
    { label: 'Short description', value: version.shortDescription, ...cms },
    { label: `Status on ${isoDate(asOf)}`, value: status, ...cms },
    ...(version.addDate ? [{ label: 'Added to HCPCS', value: isoDate(version.addDate), ...cms }] : []),
    ...(version.terminationDate
      ? [{ label: 'Termination date', value: isoDate(version.terminationDate), ...cms }]
      : []),
  ];
}

/** The long description, the curated service type, then the CMS attributes the version has. */
function billingFacts(version: BriefedVersion, cms: Provenance): BriefingFact[] {
  const identity = version.identity;
  const billing: BriefingFact[] = [{ label: 'Long description', value: version.longDescription, ...cms }];
  if (identity.serviceType)
    billing.push({
      label: 'Service type',
      value: identity.serviceType,
      ...curated('service type', identity.createdAt),
    });
  const attributes: [string, unknown][] = [
    ['BETOS', version.betos],
    ['Types of service', version.typesOfService],
    ['Medicare coverage code', version.coverageCode],
    ['Pricing indicators', version.pricingIndicators],
    ['Multiple pricing indicator', version.multiplePricingIndicator],
  ];
  for (const [label, value] of attributes) {
    const text = display(value);
    if (text !== null) billing.push({ label, value: text, ...cms });
  }
  return billing;
}

function sitesOfService(identity: BriefedCode): BriefingSite[] {
  return identity.sitesOfService.map((site) => ({
    setting: site.setting,
    placeOfService: site.placeOfService ? `${site.placeOfService.code} ${site.placeOfService.name}` : null,
    note: site.note,
    ...curated(site.source, site.createdAt),
  }));
}

function modifierRows(identity: BriefedCode): BriefingModifier[] {
  return identity.modifiers.map((link) => {
    const modifier = link.modifier;
    return {
      modifier: modifier.code,
      description: modifier.longDescription,
      whenToUse: link.whenToUse,
      descriptionSource: modifier.release
        ? releaseSource(modifier.release)
        : `refgraph curation: ${modifier.sourceNote ?? 'no source note'}`,
      descriptionRelease: modifier.release ? modifier.release.name : 'curated',
      ...curated(link.source, link.createdAt),
    };
  });
}

function taxonomyRows(identity: BriefedCode): BriefingTaxonomy[] {
  return identity.taxonomies.map((link) => ({
    taxonomy: link.taxonomy.code,
    displayName: link.taxonomy.displayName,
    classification: link.taxonomy.classification,
    specialization: link.taxonomy.specialization,
    note: link.note,
    descriptionSource: link.taxonomy.release ? releaseSource(link.taxonomy.release) : 'refgraph curation',
    descriptionRelease: link.taxonomy.release ? link.taxonomy.release.name : 'curated',
    ...curated(link.source, link.createdAt),
  }));
}

function diagnosisRows(identity: BriefedCode): BriefingDiagnosis[] {
  return identity.diagnoses.map((link) => ({
    diagnosis: link.diagnosis.code,
    description: link.diagnosis.description,
    note: link.note,
    descriptionSource: link.diagnosis.source,
    ...curated(link.source, link.createdAt),
  }));
}

function clinicalContextOf(identity: BriefedCode): BriefingClinicalContext | null {
  const context = identity.clinicalContext;
  if (!context) return null;
  return {
    scenario: context.scenario,
    workflow: workflowSteps(context.workflow),
    componentBilling: context.componentBilling,
    ...curated(context.source, context.createdAt),
  };
}

/** Every payer in scope, in order, with its current notes on the code (none: an empty list). */
function payersWithNotes(payersInScope: Payer[], coverageNotes: BriefedCode['coverageNotes']): BriefingPayer[] {
  const notesByPayer = groupBy(
    coverageNotes,
    (note) => note.payerId,
    (note): BriefingCoverage => ({
      status: note.status,
      scope: note.scope,
      region: note.region,
      policy: [note.policyId, note.policyTitle].filter(Boolean).join(' ') || null,
      summary: note.summary,
      effectiveDate: note.effectiveDate,
      source: note.sourceUrl,
      release: `reviewed ${isoDate(note.lastReviewed)}`,
    }),
  );
  return payersInScope.map((payer) => ({
    slug: payer.slug,
    name: payer.name,
    kind: payer.kind,
    notes: notesByPayer.get(payer.id) ?? [],
  }));
}

function benchmarkRows(identity: BriefedCode): BriefingBenchmark[] {
  return identity.benchmarks.map((benchmark) => ({
    effectiveDate: benchmark.release.effectiveDate,
    statusIndicator: benchmark.statusIndicator,
    apc: benchmark.apc,
    paymentRate: display(benchmark.paymentRate),
    relativeWeight: display(benchmark.relativeWeight),
    nationalCopayment: display(benchmark.nationalCopayment),
    minimumCopayment: display(benchmark.minimumCopayment),
    source: releaseSource(benchmark.release),
    release: benchmark.release.name,
  }));
}

type HistoryVersion = BriefedCode['versions'][number];

/** The versions a reader's history is made of, oldest first. */
function releaseHistory(versions: HistoryVersion[]): HistoryVersion[] {
  // refgraph's starter copy is not a CMS release: once official releases exist, history is theirs.
  const official = versions.filter((v) => v.release.origin === 'OFFICIAL');
  return official.length > 0 ? official : versions;
}

/** A release of the history after the first, with the CMS fields that changed since the one before. */
interface ReleaseStep {
  before: HistoryVersion;
  after: HistoryVersion;
  changes: ReturnType<typeof fieldChanges>;
}

/** The steps from each release of the history to the next, oldest first (compared once for both sections). */
function releaseSteps(history: HistoryVersion[]): ReleaseStep[] {
  return history
    .slice(1)
    .map((after, i) => ({ before: history[i]!, after, changes: fieldChanges(history[i]!, after) }));
}

/** The CMS fields that changed from one release to the next, newest first, at most MAX_RECENT_CHANGES. */
function recentChanges(steps: ReleaseStep[]): BriefingChange[] {
  return [...steps]
    .reverse()
    .flatMap(({ before, after, changes }) =>
      changes.map(({ label, was, is }) => ({
        effectiveDate: after.release.effectiveDate,
        previousRelease: before.release.name,
        field: label,
        before: was,
        after: is,
        source: releaseSource(after.release),
        release: after.release.name,
      })),
    )
    .slice(0, MAX_RECENT_CHANGES);
}

function releaseRows(history: HistoryVersion[], steps: ReleaseStep[]): BriefingRelease[] {
  return history.map((version, i) => ({
    effectiveDate: version.release.effectiveDate,
    changedFields: i === 0 ? null : steps[i - 1]!.changes.map((change) => change.label),
    source: releaseSource(version.release),
    release: version.release.name,
  }));
}

/** The sections with no data (a payer row without notes still counts as data about the payer). */
function missingSections(sections: Sections, coverageNotes: number): BriefingSectionName[] {
  return BRIEFING_SECTIONS.filter((section) => {
    switch (section) {
      case 'CODING_SPECIFICATIONS':
        return sections.modifiers.length === 0;
      case 'TAXONOMIES':
        return sections.taxonomies.length === 0;
      case 'DIAGNOSES':
        return sections.diagnoses.length === 0;
      case 'CLINICAL_CONTEXT':
        return sections.clinicalContext === null;
      case 'PAYERS':
        return coverageNotes === 0;
      case 'BENCHMARKS':
        return sections.benchmarks.length === 0;
      case 'RECENT_CHANGES':
        return sections.recentChanges.length === 0;
      default:
        return false;
    }
  });
}

/** One paragraph restating the sections' counts and facts. */
function overviewOf(
  version: BriefedVersion,
  status: string,
  asOf: Date,
  sections: Sections,
  coverageNotes: number,
  releases: number,
): string {
  const { sitesOfService, modifiers, taxonomies, diagnoses, clinicalContext, payers, benchmarks, recentChanges } =
    sections;
  const latestBenchmark = benchmarks[0];
  return [
    `${version.code} (${version.shortDescription}) is ${status} on ${isoDate(asOf)} in HCPCS release ${version.release.name}.`,
    `refgraph holds ${sitesOfService.length} typical site(s) of service, ${modifiers.length} modifier(s) with guidance,`,
    `${taxonomies.length} provider taxonomy(ies), ${diagnoses.length} supporting diagnosis(es), ${clinicalContext ? 'a' : 'no'} clinical context,`,
    `${coverageNotes} current coverage note(s) from ${payers.filter((p) => p.notes.length > 0).length} of ${payers.length} payer(s) in scope,`,
    `${benchmarks.length} payment benchmark(s)` +
      (latestBenchmark
        ? ` (latest: status indicator ${latestBenchmark.statusIndicator ?? 'none'}, release ${latestBenchmark.release})`
        : '') +
      ` and ${recentChanges.length} recorded change(s) across ${releases} release(s).`,
  ].join(' ');
}

/** The workflow as stored (JSON): the steps that have all three texts, in order. */
function workflowSteps(workflow: unknown): BriefingWorkflowStep[] {
  if (!Array.isArray(workflow)) return [];
  return workflow.flatMap((step: unknown) => {
    const { stage, actor, description } = (step ?? {}) as Record<string, unknown>;
    return typeof stage === 'string' && typeof actor === 'string' && typeof description === 'string'
      ? [{ stage, actor, description }]
      : [];
  });
}

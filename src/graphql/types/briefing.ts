// briefing(code:): a national briefing on a code, from refgraph's data alone, as structured
// sections and rendered as Markdown or HTML. Every fact names its source and release.
import { prisma } from '../../db/client.js';
import {
  BRIEFING_SECTIONS,
  collectBriefing,
  type Briefing as BriefingShape,
  type BriefingBenchmark as BenchmarkShape,
  type BriefingChange as ChangeShape,
  type BriefingClinicalContext as ClinicalContextShape,
  type BriefingDiagnosis as DiagnosisShape,
  type BriefingTaxonomy as TaxonomyShape,
  type BriefingWorkflowStep as WorkflowStepShape,
  type BriefingCoverage as CoverageShape,
  type BriefingFact as FactShape,
  type BriefingModifier as ModifierShape,
  type BriefingPayer as PayerShape,
  type BriefingSite as SiteShape,
  type Provenance,
} from '../../briefing/collect.js';
import { briefingDocument } from '../../briefing/document.js';
import { renderHtml } from '../../briefing/render-html.js';
import { renderMarkdown } from '../../briefing/render-markdown.js';
import { hcpcsCodeArgument } from '../arguments.js';
import { builder } from '../builder.js';
import { payerWhere } from './code.js';
import { CoverageScopeEnum, CoverageStatusEnum } from './coverage-note.js';
import { PayerKindEnum } from './payer.js';

export const BriefingSection = builder.enumType('BriefingSection', {
  description: 'A section of a briefing; `Briefing.missing` lists those with no data ("Data not available").',
  values: BRIEFING_SECTIONS,
});

/** Every fact of a briefing names its source and release. */
const Sourced = builder.interfaceRef<Provenance>('BriefingSourced').implement({
  description: 'A briefing fact with its provenance.',
  fields: (t) => ({
    source: t.exposeString('source', {
      description: "Where the fact comes from: a publisher's file, a policy URL, or refgraph's curation.",
    }),
    release: t.exposeString('release', {
      description: 'The release of that file, or when refgraph curated or reviewed it.',
    }),
  }),
});

const BriefingFact = builder.objectRef<FactShape>('BriefingFact').implement({
  interfaces: [Sourced],
  description: 'One fact of a briefing, with its provenance.',
  fields: (t) => ({ label: t.exposeString('label'), value: t.exposeString('value') }),
});

const BriefingSite = builder.objectRef<SiteShape>('BriefingSite').implement({
  interfaces: [Sourced],
  description: 'A typical site of service.',
  fields: (t) => ({
    setting: t.exposeString('setting'),
    placeOfService: t.exposeString('placeOfService', {
      nullable: true,
      description: 'CMS place-of-service code and name, where one corresponds.',
    }),
    note: t.exposeString('note', { nullable: true }),
  }),
});

const BriefingModifier = builder.objectRef<ModifierShape>('BriefingModifier').implement({
  interfaces: [Sourced],
  description: 'A row of the modifiers table: the modifier, what it means, and when to use it with this code.',
  fields: (t) => ({
    modifier: t.exposeString('modifier'),
    description: t.exposeString('description'),
    whenToUse: t.exposeString('whenToUse'),
    descriptionSource: t.exposeString('descriptionSource'),
    descriptionRelease: t.exposeString('descriptionRelease'),
  }),
});

const BriefingTaxonomy = builder.objectRef<TaxonomyShape>('BriefingTaxonomy').implement({
  interfaces: [Sourced],
  description: 'A provider taxonomy that typically performs or bills the code (source/release: the curated link).',
  fields: (t) => ({
    taxonomy: t.exposeString('taxonomy', { description: 'NUCC taxonomy code, e.g. 2085R0202X.' }),
    displayName: t.exposeString('displayName', { nullable: true }),
    classification: t.exposeString('classification'),
    specialization: t.exposeString('specialization', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    descriptionSource: t.exposeString('descriptionSource', {
      description: "Where the taxonomy's names come from (the NUCC file and release).",
    }),
    descriptionRelease: t.exposeString('descriptionRelease'),
  }),
});

const BriefingDiagnosis = builder.objectRef<DiagnosisShape>('BriefingDiagnosis').implement({
  interfaces: [Sourced],
  description: "A diagnosis that commonly supports the code's medical necessity (source/release: the curated link).",
  fields: (t) => ({
    diagnosis: t.exposeString('diagnosis', { description: 'ICD-10-CM code without the dot.' }),
    description: t.exposeString('description'),
    note: t.exposeString('note', { nullable: true }),
    descriptionSource: t.exposeString('descriptionSource'),
  }),
});

const BriefingWorkflowStep = builder.objectRef<WorkflowStepShape>('BriefingWorkflowStep').implement({
  description: 'One step from order to signed report.',
  fields: (t) => ({
    stage: t.exposeString('stage'),
    actor: t.exposeString('actor'),
    description: t.exposeString('description'),
  }),
});

const BriefingClinicalContext = builder.objectRef<ClinicalContextShape>('BriefingClinicalContext').implement({
  interfaces: [Sourced],
  description: 'A typical scenario, the workflow from order to report, and who bills which component (curated).',
  fields: (t) => ({
    scenario: t.exposeString('scenario'),
    workflow: t.field({ type: [BriefingWorkflowStep], resolve: (context) => context.workflow }),
    componentBilling: t.exposeString('componentBilling'),
  }),
});

const BriefingCoverage = builder.objectRef<CoverageShape>('BriefingCoverage').implement({
  interfaces: [Sourced],
  description: "A payer's current coverage note (source: the policy URL; release: when it was last reviewed).",
  fields: (t) => ({
    status: t.field({ type: CoverageStatusEnum, resolve: (note) => note.status }),
    scope: t.field({ type: CoverageScopeEnum, resolve: (note) => note.scope }),
    region: t.exposeString('region', { nullable: true }),
    policy: t.exposeString('policy', { nullable: true }),
    summary: t.exposeString('summary'),
    effectiveDate: t.expose('effectiveDate', { type: 'Date', nullable: true }),
  }),
});

const BriefingPayer = builder.objectRef<PayerShape>('BriefingPayer').implement({
  description: 'A payer in scope and its coverage notes (empty: no data from this payer).',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    kind: t.field({ type: PayerKindEnum, resolve: (payer) => payer.kind }),
    notes: t.field({ type: [BriefingCoverage], resolve: (payer) => payer.notes }),
  }),
});

const BriefingBenchmark = builder.objectRef<BenchmarkShape>('BriefingBenchmark').implement({
  interfaces: [Sourced],
  description: 'A payment benchmark (OPPS Addendum B) from one release.',
  fields: (t) => ({
    effectiveDate: t.expose('effectiveDate', { type: 'Date' }),
    statusIndicator: t.exposeString('statusIndicator', { nullable: true }),
    apc: t.exposeString('apc', { nullable: true }),
    paymentRate: t.exposeString('paymentRate', {
      nullable: true,
      description: 'National unadjusted payment rate, US dollars.',
    }),
    relativeWeight: t.exposeString('relativeWeight', { nullable: true }),
    nationalCopayment: t.exposeString('nationalCopayment', { nullable: true }),
    minimumCopayment: t.exposeString('minimumCopayment', { nullable: true }),
  }),
});

const BriefingChange = builder.objectRef<ChangeShape>('BriefingChange').implement({
  interfaces: [Sourced],
  description: 'A CMS field of the code that changed from one release to the next.',
  fields: (t) => ({
    effectiveDate: t.expose('effectiveDate', { type: 'Date' }),
    previousRelease: t.exposeString('previousRelease'),
    field: t.exposeString('field'),
    before: t.exposeString('before', { nullable: true }),
    after: t.exposeString('after', { nullable: true }),
  }),
});

/** The rendered document is built once per briefing object, whichever of markdown/html is asked. */
const documents = new WeakMap<BriefingShape, ReturnType<typeof briefingDocument>>();
function documentOf(briefing: BriefingShape) {
  let document = documents.get(briefing);
  if (!document) {
    document = briefingDocument(briefing);
    documents.set(briefing, document);
  }
  return document;
}

const Briefing = builder.objectRef<BriefingShape>('Briefing').implement({
  description:
    'A national briefing on a code, from refgraph data alone: summary, billing overview, coding specifications, payers, ' +
    'benchmarks and recent changes. Sections without data say "Data not available"; nothing is inferred.',
  fields: (t) => ({
    code: t.exposeString('code'),
    asOf: t.expose('asOf', { type: 'Date' }),
    release: t.exposeString('release', { description: 'The HCPCS release the descriptions come from.' }),
    overview: t.exposeString('overview'),
    summary: t.field({ type: [BriefingFact], resolve: (b) => b.summary }),
    billing: t.field({
      type: [BriefingFact],
      description: 'Descriptions, service type and CMS attributes.',
      resolve: (b) => b.billing,
    }),
    sitesOfService: t.field({ type: [BriefingSite], resolve: (b) => b.sitesOfService }),
    modifiers: t.field({ type: [BriefingModifier], resolve: (b) => b.modifiers }),
    taxonomies: t.field({ type: [BriefingTaxonomy], resolve: (b) => b.taxonomies }),
    diagnoses: t.field({ type: [BriefingDiagnosis], resolve: (b) => b.diagnoses }),
    clinicalContext: t.field({ type: BriefingClinicalContext, nullable: true, resolve: (b) => b.clinicalContext }),
    payers: t.field({ type: [BriefingPayer], resolve: (b) => b.payers }),
    benchmarks: t.field({
      type: [BriefingBenchmark],
      description: 'Newest release first.',
      resolve: (b) => b.benchmarks,
    }),
    recentChanges: t.field({ type: [BriefingChange], description: 'Newest first.', resolve: (b) => b.recentChanges }),
    missing: t.field({ type: [BriefingSection], resolve: (b) => b.missing }),
    markdown: t.string({ resolve: (b) => renderMarkdown(documentOf(b)) }),
    html: t.string({ description: 'A standalone HTML5 page.', resolve: (b) => renderHtml(documentOf(b)) }),
  }),
});

builder.queryField('briefing', (t) =>
  t.field({
    type: Briefing,
    nullable: true,
    description:
      'A national briefing on a HCPCS code as of a date (today without asOf); null when the code is unknown then.',
    args: {
      code: t.arg.string({ required: true, description: 'A HCPCS Level II code, e.g. A9597.' }),
      asOf: t.arg({ type: 'Date', required: false }),
      payers: t.arg.idList({
        required: false,
        description: 'Payers in scope: IDs or slugs (default: every payer refgraph records).',
      }),
    },
    resolve: (_root, args) =>
      collectBriefing(prisma(), hcpcsCodeArgument(args.code), {
        asOf: args.asOf ?? undefined,
        payers: args.payers ? payerWhere(args.payers) : undefined,
      }),
  }),
);

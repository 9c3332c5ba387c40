// The briefing laid out as a document (headings, paragraphs, tables), once, so the Markdown and
// HTML renderers only differ in syntax. Sections without data carry NO_DATA and nothing else.
import { isoDate, type Briefing, type Provenance } from './collect.js';

export const NO_DATA = 'Data not available';

export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'subheading'; text: string }
  | { kind: 'table'; columns: string[]; rows: string[][] }
  | { kind: 'no-data' };

export interface DocumentSection {
  id: string;
  title: string;
  blocks: Block[];
}

export interface BriefingDocument {
  title: string;
  subtitle: string;
  sections: DocumentSection[];
}

const dash = '—';

function cell(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? dash : value;
}

function table(columns: string[], rows: (string | null)[][]): Block[] {
  return rows.length === 0
    ? [{ kind: 'no-data' }]
    : [{ kind: 'table', columns, rows: rows.map((row) => row.map(cell)) }];
}

function provenance(fact: Provenance): [string, string] {
  return [fact.source, fact.release];
}

/** Source and release in one cell. */
function cite(fact: Provenance): string {
  return `${fact.source} · ${fact.release}`;
}

/**
 * A curated link to a published entry: the entry, its text and where that comes from, the link's note and where it
 * comes from.
 */
function linkRow(
  code: string,
  text: string,
  note: string | null,
  link: Provenance & { descriptionSource: string; descriptionRelease: string },
): (string | null)[] {
  return [code, text, note, cite({ source: link.descriptionSource, release: link.descriptionRelease }), cite(link)];
}

export function briefingDocument(briefing: Briefing): BriefingDocument {
  const payerRows = briefing.payers.flatMap((payer) =>
    payer.notes.length === 0
      ? [[payer.name, NO_DATA, null, null, null, null, null]]
      : payer.notes.map((note) => [
          payer.name,
          note.status,
          note.scope === 'REGIONAL' && note.region ? `REGIONAL (${note.region})` : note.scope,
          note.policy,
          note.summary,
          note.effectiveDate ? isoDate(note.effectiveDate) : null,
          cite(note),
        ]),
  );
  return {
    title: `National briefing: HCPCS ${briefing.code}`,
    subtitle: `As of ${isoDate(briefing.asOf)}, from refgraph's data only (HCPCS release ${briefing.release}). Each fact names its source and release.`,
    sections: [
      {
        id: 'summary',
        title: 'Summary and overview',
        blocks: [
          { kind: 'paragraph', text: briefing.overview },
          ...table(
            ['Fact', 'Value', 'Source', 'Release'],
            briefing.summary.map((f) => [f.label, f.value, ...provenance(f)]),
          ),
        ],
      },
      {
        id: 'billing-overview',
        title: 'Billing code overview',
        blocks: [
          ...table(
            ['Fact', 'Value', 'Source', 'Release'],
            briefing.billing.map((f) => [f.label, f.value, ...provenance(f)]),
          ),
          { kind: 'subheading', text: 'Typical sites of service' },
          ...table(
            ['Setting', 'Place of service', 'Note', 'Source', 'Release'],
            briefing.sitesOfService.map((s) => [s.setting, s.placeOfService, s.note, ...provenance(s)]),
          ),
        ],
      },
      {
        id: 'coding-specifications',
        title: 'Coding specifications',
        blocks: [
          { kind: 'subheading', text: 'Modifiers' },
          ...table(
            ['Modifier', 'Description', 'When to use', 'Description source', 'Guidance source'],
            briefing.modifiers.map((m) => linkRow(m.modifier, m.description, m.whenToUse, m)),
          ),
        ],
      },
      {
        id: 'taxonomies',
        title: 'Provider taxonomies',
        blocks: table(
          ['Taxonomy', 'Name', 'Note', 'Name source', 'Link source'],
          briefing.taxonomies.map((t) =>
            linkRow(
              t.taxonomy,
              t.displayName ?? [t.classification, t.specialization].filter(Boolean).join(', '),
              t.note,
              t,
            ),
          ),
        ),
      },
      {
        id: 'diagnoses',
        title: 'Supporting diagnoses',
        blocks: table(
          ['ICD-10-CM', 'Description', 'Note', 'Description source', 'Link source'],
          briefing.diagnoses.map((d) => [d.diagnosis, d.description, d.note, d.descriptionSource, cite(d)]),
        ),
      },
      {
        id: 'clinical-context',
        title: 'Clinical context',
        blocks: briefing.clinicalContext
          ? [
              { kind: 'subheading', text: 'Typical scenario' },
              { kind: 'paragraph', text: briefing.clinicalContext.scenario },
              { kind: 'subheading', text: 'Workflow' },
              ...table(
                ['Stage', 'Actor', 'What happens'],
                briefing.clinicalContext.workflow.map((w) => [w.stage, w.actor, w.description]),
              ),
              { kind: 'subheading', text: 'Component billing' },
              { kind: 'paragraph', text: briefing.clinicalContext.componentBilling },
              { kind: 'paragraph', text: `Source: ${cite(briefing.clinicalContext)}` },
            ]
          : [{ kind: 'no-data' }],
      },
      {
        id: 'payers',
        title: 'Payers in scope',
        // No note from any payer: say so once, and name the payers that were looked at.
        blocks: briefing.missing.includes('PAYERS')
          ? [
              { kind: 'no-data' },
              ...(briefing.payers.length
                ? [
                    {
                      kind: 'paragraph' as const,
                      text: `Payers in scope: ${briefing.payers.map((p) => p.name).join(', ')}.`,
                    },
                  ]
                : []),
            ]
          : table(['Payer', 'Status', 'Scope', 'Policy', 'Coverage note', 'Effective', 'Source'], payerRows),
      },
      {
        id: 'benchmarks',
        title: 'Benchmarks',
        blocks: table(
          [
            'Release',
            'Effective',
            'OPPS status indicator',
            'APC',
            'Payment rate (USD)',
            'Relative weight',
            'National copayment',
            'Minimum copayment',
            'Source',
          ],
          briefing.benchmarks.map((b) => [
            b.release,
            isoDate(b.effectiveDate),
            b.statusIndicator,
            b.apc,
            b.paymentRate,
            b.relativeWeight,
            b.nationalCopayment,
            b.minimumCopayment,
            b.source,
          ]),
        ),
      },
      {
        id: 'recent-changes',
        title: 'Recent changes',
        blocks: table(
          ['Release', 'Effective', 'Compared with', 'Field', 'Before', 'After', 'Source'],
          briefing.recentChanges.map((c) => [
            c.release,
            isoDate(c.effectiveDate),
            c.previousRelease,
            c.field,
            c.before,
            c.after,
            c.source,
          ]),
        ),
      },
    ],
  };
}

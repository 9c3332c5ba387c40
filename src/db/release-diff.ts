// What changed between two releases of a code system that keeps one full snapshot per release
// (HCPCS: code_version; OPPS: benchmark; modifier_version, place_of_service_version,
// taxonomy_version). Computed in SQL with one FULL JOIN, so the loader's
// summary and the GraphQL `changes` field agree by construction.
import type { Sql } from './sql.js';

export type ChangeKind = 'ADDED' | 'TERMINATED' | 'REMOVED' | 'DESCRIPTION_CHANGED' | 'ATTRIBUTES_CHANGED';

interface DiffField {
  column: string;
  /** The field name reported in `changedFields` (the GraphQL/Prisma name). */
  name: string;
}

interface SnapshotSpec {
  /** SELECT returning `code` and every column in `fields` for the release id given as `param`. */
  source: (param: string) => string;
  descriptions: readonly DiffField[];
  attributes: readonly DiffField[];
  /** A code whose termination date appears in the newer release counts as TERMINATED. */
  terminationColumn?: string;
}

function fields(pairs: readonly (readonly [string, string])[]): DiffField[] {
  return pairs.map(([column, name]) => ({ column, name }));
}

const HCPCS_ATTRIBUTES: readonly DiffField[] = fields([
  ['pricing_indicators', 'pricingIndicators'],
  ['multiple_pricing_indicator', 'multiplePricingIndicator'],
  ['cim_references', 'cimReferences'],
  ['mcm_references', 'mcmReferences'],
  ['statute', 'statute'],
  ['lab_certifications', 'labCertifications'],
  ['cross_references', 'crossReferences'],
  ['coverage_code', 'coverageCode'],
  ['asc_group', 'ascGroup'],
  ['asc_effective_date', 'ascEffectiveDate'],
  ['processing_note', 'processingNote'],
  ['betos', 'betos'],
  ['types_of_service', 'typesOfService'],
  ['anesthesia_base_units', 'anesthesiaBaseUnits'],
  ['add_date', 'addDate'],
  ['action_effective_date', 'actionEffectiveDate'],
  ['termination_date', 'terminationDate'],
  ['action_code', 'actionCode'],
]);

const HCPCS_DESCRIPTIONS: readonly DiffField[] = [
  { column: 'long_description', name: 'longDescription' },
  { column: 'short_description', name: 'shortDescription' },
];

export const SNAPSHOTS = {
  HCPCS: {
    source: (p) =>
      `SELECT code, ${[...HCPCS_DESCRIPTIONS, ...HCPCS_ATTRIBUTES].map((f) => f.column).join(', ')}
       FROM code_version WHERE release_id = ${p}`,
    descriptions: HCPCS_DESCRIPTIONS,
    attributes: HCPCS_ATTRIBUTES,
    terminationColumn: 'termination_date',
  },
  OPPS: {
    source: (p) =>
      `SELECT c.code, b.status_indicator, b.apc, b.relative_weight, b.payment_rate, b.national_copayment, b.minimum_copayment
       FROM benchmark b JOIN code c ON c.id = b.code_id WHERE b.release_id = ${p}`,
    descriptions: [],
    attributes: [
      { column: 'status_indicator', name: 'statusIndicator' },
      { column: 'apc', name: 'apc' },
      { column: 'relative_weight', name: 'relativeWeight' },
      { column: 'payment_rate', name: 'paymentRate' },
      { column: 'national_copayment', name: 'nationalCopayment' },
      { column: 'minimum_copayment', name: 'minimumCopayment' },
    ],
  },
  MODIFIER: {
    source: (p) =>
      `SELECT code, long_description, short_description, coverage_code, processing_note, add_date, action_effective_date,
              termination_date, action_code
       FROM modifier_version WHERE release_id = ${p}`,
    descriptions: HCPCS_DESCRIPTIONS,
    attributes: fields([
      ['coverage_code', 'coverageCode'],
      ['processing_note', 'processingNote'],
      ['add_date', 'addDate'],
      ['action_effective_date', 'actionEffectiveDate'],
      ['termination_date', 'terminationDate'],
      ['action_code', 'actionCode'],
    ]),
    terminationColumn: 'termination_date',
  },
  // Name and description stand where the diff reports a short and a long description.
  PLACE_OF_SERVICE: {
    source: (p) =>
      `SELECT code, name AS short_description, coalesce(description, '') AS long_description, assigned FROM place_of_service_version WHERE release_id = ${p}`,
    descriptions: fields([
      ['long_description', 'description'],
      ['short_description', 'name'],
    ]),
    attributes: fields([['assigned', 'assigned']]),
  },
  // Display name (or, without one, the classification) and definition likewise.
  TAXONOMY: {
    source: (p) =>
      `SELECT code, coalesce(display_name, classification) AS short_description, coalesce(definition, '') AS long_description,
              grouping, classification, specialization, notes, section
       FROM taxonomy_version WHERE release_id = ${p}`,
    descriptions: fields([
      ['long_description', 'definition'],
      ['short_description', 'displayName'],
    ]),
    attributes: fields([
      ['grouping', 'grouping'],
      ['classification', 'classification'],
      ['specialization', 'specialization'],
      ['notes', 'notes'],
      ['section', 'section'],
    ]),
  },
} as const satisfies Record<string, SnapshotSpec>;

export type SnapshotSystem = keyof typeof SNAPSHOTS;

export function isSnapshotSystem(system: string): system is SnapshotSystem {
  return system in SNAPSHOTS;
}

/**
 * The per-code comparison of release $1 (before; may be NULL: nothing before) with release $2
 * (after), UNCHANGED rows included.
 */
function diffSql(spec: SnapshotSpec): string {
  const distinct = (f: DiffField) => `a.${f.column} IS DISTINCT FROM b.${f.column}`;
  const changedName = (f: DiffField) => `CASE WHEN ${distinct(f)} THEN '${f.name}' END`;
  const all = [...spec.descriptions, ...spec.attributes];
  const descriptionChanged = spec.descriptions.length ? spec.descriptions.map(distinct).join(' OR ') : 'false';
  const terminated = spec.terminationColumn
    ? `b.${spec.terminationColumn} IS NOT NULL AND a.${spec.terminationColumn} IS NULL`
    : 'false';
  const described = (side: 'a' | 'b', column: string) =>
    spec.descriptions.some((f) => f.column === column) ? `${side}.${column}` : 'NULL::text';
  return `
    WITH a AS (${spec.source('$1::int')}), b AS (${spec.source('$2::int')})
    SELECT COALESCE(b.code, a.code) AS code,
      CASE WHEN a.code IS NULL THEN 'ADDED'
           WHEN b.code IS NULL THEN 'REMOVED'
           WHEN ${terminated} THEN 'TERMINATED'
           WHEN ${descriptionChanged} THEN 'DESCRIPTION_CHANGED'
           WHEN ${all.map(distinct).join(' OR ')} THEN 'ATTRIBUTES_CHANGED'
           ELSE 'UNCHANGED' END AS kind,
      CASE WHEN a.code IS NULL OR b.code IS NULL THEN ARRAY[]::text[]
           ELSE array_remove(ARRAY[${all.map(changedName).join(', ')}]::text[], NULL) END AS "changedFields",
      ${described('a', 'short_description')} AS "beforeShortDescription",
      ${described('a', 'long_description')} AS "beforeLongDescription",
      ${described('b', 'short_description')} AS "afterShortDescription",
      ${described('b', 'long_description')} AS "afterLongDescription"
    FROM a FULL JOIN b ON a.code = b.code`;
}

export interface ChangeCounts {
  added: number;
  terminated: number;
  descriptionChanged: number;
  attributesChanged: number;
  removed: number;
  unchanged: number;
}

export type ChangeSamples = Partial<Record<ChangeKind, string[]>>;

export function emptyCounts(): ChangeCounts {
  return { added: 0, terminated: 0, descriptionChanged: 0, attributesChanged: 0, removed: 0, unchanged: 0 };
}

/** Which count a kind of change adds to. */
export const COUNT_KEY: Readonly<Record<ChangeKind | 'UNCHANGED', keyof ChangeCounts>> = {
  ADDED: 'added',
  TERMINATED: 'terminated',
  DESCRIPTION_CHANGED: 'descriptionChanged',
  ATTRIBUTES_CHANGED: 'attributesChanged',
  REMOVED: 'removed',
  UNCHANGED: 'unchanged',
};

/** Counts per kind of change from release `fromId` (null: none) to `toId`, and a few codes of each. */
export async function diffReleases(
  db: Sql,
  system: SnapshotSystem,
  fromId: number | null,
  toId: number,
  sampleSize = 10,
): Promise<{ counts: ChangeCounts; samples: ChangeSamples }> {
  const rows = await db.query<{ kind: ChangeKind | 'UNCHANGED'; count: number; sample: string[] }>(
    `SELECT kind, count(*)::int AS count, (array_agg(code ORDER BY code))[1:$3] AS sample
     FROM (${diffSql(SNAPSHOTS[system])}) d GROUP BY kind`,
    fromId,
    toId,
    sampleSize,
  );
  const counts = emptyCounts();
  const samples: ChangeSamples = {};
  for (const row of rows) {
    counts[COUNT_KEY[row.kind]] = row.count;
    if (row.kind !== 'UNCHANGED') samples[row.kind] = row.sample;
  }
  return { counts, samples };
}

export interface Change {
  code: string;
  kind: ChangeKind;
  changedFields: string[];
  beforeShortDescription: string | null;
  beforeLongDescription: string | null;
  afterShortDescription: string | null;
  afterLongDescription: string | null;
}

export interface ChangePage {
  after?: string | null;
  before?: string | null;
  limit: number;
  /** Walk backwards (for `last`/`before`). */
  inverted: boolean;
}

export const CHANGE_KINDS: readonly ChangeKind[] = [
  'ADDED',
  'TERMINATED',
  'REMOVED',
  'DESCRIPTION_CHANGED',
  'ATTRIBUTES_CHANGED',
];

/**
 * One page of the changes from release `fromId` to `toId`, in code order (UNCHANGED left out),
 * only of the given kinds (all when null).
 */
export async function listChanges(
  db: Sql,
  system: SnapshotSystem,
  fromId: number,
  toId: number,
  page: ChangePage,
  kinds: readonly ChangeKind[] | null = null,
): Promise<Change[]> {
  return await db.query<Change>(
    `SELECT * FROM (${diffSql(SNAPSHOTS[system])}) d
     WHERE kind = ANY($6::text[]) AND ($3::text IS NULL OR code > $3) AND ($4::text IS NULL OR code < $4)
     ORDER BY code ${page.inverted ? 'DESC' : 'ASC'} LIMIT $5`,
    fromId,
    toId,
    page.after ?? null,
    page.before ?? null,
    page.limit,
    kinds ?? CHANGE_KINDS,
  );
}

/**
 * How many changes of each kind there are from release `fromId` to `toId` (UNCHANGED left out;
 * only the given kinds when not null), every kind asked for present, in CHANGE_KINDS order.
 */
export async function countChangesByKind(
  db: Sql,
  system: SnapshotSystem,
  fromId: number,
  toId: number,
  kinds: readonly ChangeKind[] | null = null,
): Promise<{ kind: ChangeKind; count: number }[]> {
  const rows = await db.query<{ kind: ChangeKind; count: number }>(
    `SELECT kind, count(*)::int AS count FROM (${diffSql(SNAPSHOTS[system])}) d WHERE kind = ANY($3::text[]) GROUP BY kind`,
    fromId,
    toId,
    kinds ?? CHANGE_KINDS,
  );
  const counted = new Map(rows.map((row) => [row.kind, row.count]));
  return CHANGE_KINDS.filter((kind) => !kinds || kinds.includes(kind)).map((kind) => ({
    kind,
    count: counted.get(kind) ?? 0,
  }));
}

/** The fields a system's diff compares, by their Prisma names (those `changedFields` reports). */
export function snapshotFieldNames(system: SnapshotSystem): string[] {
  const spec: SnapshotSpec = SNAPSHOTS[system];
  return [...spec.descriptions, ...spec.attributes].map((f) => f.name);
}

/** The CMS fields of a HCPCS code version, by their Prisma/GraphQL names, in comparison order. */
export const HCPCS_FIELD_NAMES: readonly string[] = [...HCPCS_DESCRIPTIONS, ...HCPCS_ATTRIBUTES].map((f) => f.name);

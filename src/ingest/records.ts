// What each parser hands to the loader: plain records, already validated and normalised
// (trimmed text, real Dates at UTC midnight, null for empty values). `at` says where the record
// came from, so the loader's own errors can name the place in the file too.

/** A place in a source file: a line of a text/CSV file, or a sheet and row of a workbook. */
export interface SourcePosition {
  file: string;
  line?: number;
  sheet?: string;
  row?: number;
}

/** One HCPCS Level II procedure code (RECID 3, with its RECID 4 continuations joined). */
export interface HcpcsCodeRecord {
  at: SourcePosition;
  code: string;
  longDescription: string;
  shortDescription: string;
  pricingIndicators: string[];
  multiplePricingIndicator: string | null;
  cimReferences: string[];
  mcmReferences: string[];
  statute: string | null;
  labCertifications: string[];
  crossReferences: string[];
  coverageCode: string | null;
  ascGroup: string | null;
  ascEffectiveDate: Date | null;
  processingNote: string | null;
  betos: string | null;
  typesOfService: string[];
  anesthesiaBaseUnits: number | null;
  addDate: Date | null;
  actionEffectiveDate: Date | null;
  terminationDate: Date | null;
  actionCode: string | null;
}

/** One HCPCS Level II modifier (RECID 7 rows of the HCPCS file, or the modifiers CSV). */
export interface ModifierRecord {
  at: SourcePosition;
  code: string;
  longDescription: string;
  shortDescription: string | null;
  coverageCode: string | null;
  processingNote: string | null;
  addDate: Date | null;
  actionEffectiveDate: Date | null;
  terminationDate: Date | null;
  actionCode: string | null;
}

export interface PlaceOfServiceRecord {
  at: SourcePosition;
  code: string;
  name: string;
  description: string | null;
  assigned: boolean;
}

export interface TaxonomyRecord {
  at: SourcePosition;
  code: string;
  grouping: string;
  classification: string;
  specialization: string | null;
  definition: string | null;
  notes: string | null;
  displayName: string | null;
  section: string | null;
}

/** One OPPS Addendum B row (payment status and rate for a HCPCS code). Money as decimal strings. */
export interface OppsRecord {
  at: SourcePosition;
  code: string;
  shortDescriptor: string | null;
  statusIndicator: string | null;
  apc: string | null;
  relativeWeight: string | null;
  paymentRate: string | null;
  nationalCopayment: string | null;
  minimumCopayment: string | null;
}

export interface CoverageDocumentRecord {
  at: SourcePosition;
  displayId: string;
  documentId: number;
  type: 'LCD' | 'ARTICLE';
  version: number;
  title: string;
  contractorName: string;
  contractorType: string | null;
  effectiveDate: Date | null;
  retirementDate: Date | null;
  updatedOn: Date | null;
  note: string | null;
  url: string;
}

/** What a parser can tell about the release a file holds (from its name or content). */
export interface ReleaseHint {
  name?: string;
  effectiveDate?: Date;
}

export type ParsedFile =
  | { kind: 'hcpcs'; release: ReleaseHint; recordCount: number; codes: HcpcsCodeRecord[]; modifiers: ModifierRecord[] }
  | { kind: 'modifiers'; release: ReleaseHint; recordCount: number; modifiers: ModifierRecord[] }
  | { kind: 'pos'; release: ReleaseHint; recordCount: number; places: PlaceOfServiceRecord[] }
  | { kind: 'nucc'; release: ReleaseHint; recordCount: number; taxonomies: TaxonomyRecord[] }
  | { kind: 'opps'; release: ReleaseHint; recordCount: number; rates: OppsRecord[] }
  | { kind: 'mcd'; release: ReleaseHint; recordCount: number; documents: CoverageDocumentRecord[] };

export type IngestKind = ParsedFile['kind'];

/** What a database already holds, so a folder's load skips what is in. */
export interface LoadedReleases {
  /** sha256 of every file loaded. */
  sha256: ReadonlySet<string>;
  /** `kind:release name` of every release loaded. */
  releases: ReadonlySet<string>;
}

// What a load reports: stored on the Release row, printed as one JSON line (no terminal) or as a
// few readable lines (terminal).
import type { ChangeCounts, ChangeKind, ChangeSamples } from '../db/release-diff.js';
import type { IngestKind } from './records.js';

export interface LoadSummary {
  /** `loaded`, or `unchanged` when this exact file (same sha256) was loaded before. */
  status: 'loaded' | 'unchanged';
  kind: IngestKind;
  system: string;
  release: string;
  effectiveDate: string;
  file: string;
  sha256: string;
  records: number;
  /** The official release this one was compared with (null: the first of its system). */
  previousRelease: string | null;
  backfill: boolean;
  added: number;
  /** Description or attribute changes. */
  changed: number;
  terminated: number;
  unchanged: number;
  removed: number;
  descriptionChanged: number;
  attributesChanged: number;
  samples: ChangeSamples;
  extra: Record<string, unknown>;
  seconds: number;
}

export function countsOf(counts: ChangeCounts) {
  return {
    added: counts.added,
    changed: counts.descriptionChanged + counts.attributesChanged,
    terminated: counts.terminated,
    unchanged: counts.unchanged,
    removed: counts.removed,
    descriptionChanged: counts.descriptionChanged,
    attributesChanged: counts.attributesChanged,
  };
}

/** The one-line JSON form (samples left out to keep the line short). */
export function summaryLine(summary: LoadSummary): string {
  const { samples: _samples, ...rest } = summary;
  return JSON.stringify(rest);
}

const LABELS: Record<ChangeKind, string> = {
  ADDED: 'added',
  TERMINATED: 'terminated',
  DESCRIPTION_CHANGED: 'description changed',
  ATTRIBUTES_CHANGED: 'attributes changed',
  REMOVED: 'removed from the file',
};

const COUNT_OF: Record<ChangeKind, keyof LoadSummary> = {
  ADDED: 'added',
  TERMINATED: 'terminated',
  DESCRIPTION_CHANGED: 'descriptionChanged',
  ATTRIBUTES_CHANGED: 'attributesChanged',
  REMOVED: 'removed',
};

/** A few lines for a person at a terminal. */
export function summaryText(summary: LoadSummary): string {
  const head = `${summary.system} release ${summary.release} (effective ${summary.effectiveDate}) from ${summary.file}`;
  if (summary.status === 'unchanged') {
    return `${head}: already loaded (same sha256), nothing changed.\n`;
  }
  const against = summary.previousRelease
    ? `against release ${summary.previousRelease}`
    : 'first release of this system';
  const lines = [
    `${head}: loaded ${summary.records} records in ${summary.seconds.toFixed(2)} s (${against}${summary.backfill ? ', backfill' : ''})`,
  ];
  for (const kind of Object.keys(LABELS) as ChangeKind[]) {
    const count = summary[COUNT_OF[kind]] as number;
    if (count === 0) continue;
    const sample = summary.samples[kind] ?? [];
    const more = count > sample.length ? `, …` : '';
    lines.push(`  ${LABELS[kind]}: ${count}${sample.length ? ` (${sample.join(', ')}${more})` : ''}`);
  }
  lines.push(`  unchanged: ${summary.unchanged}`);
  for (const [key, value] of Object.entries(summary.extra)) {
    if (key === 'skippedSample') continue;
    lines.push(`  ${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

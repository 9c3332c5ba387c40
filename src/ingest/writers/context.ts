// What every writer gets from the loader, and what it hands back.
import type { CodeSystemKind } from '../../generated/prisma/enums.js';
import type { ChangeCounts, ChangeSamples } from '../../db/release-diff.js';
import type { Sql } from '../../db/sql.js';

export interface ReleaseRow {
  id: number;
  name: string;
  /** YYYY-MM-DD. */
  effectiveDate: string;
}

export interface WriteContext {
  /** The load's transaction. */
  tx: Sql;
  system: { id: number; kind: CodeSystemKind };
  release: ReleaseRow;
  /** The previous official release of the system (by effective date), if any. */
  previous: ReleaseRow | null;
  /** False for a backfill: a newer release is loaded already, so current-state tables stay as they are. */
  isNewest: boolean;
  /** Reports rows written. */
  progress(rows: number): void;
  /**
   * Open the release of another code system that this file carries too (the modifiers of a HCPCS
   * file are a MODIFIER release of the same name, date and file); null when that system has a
   * release of that name already (its rows are then left as they are).
   */
  companion(system: CodeSystemKind, recordCount: number): Promise<WriteContext | null>;
}

export interface WriteResult {
  counts: ChangeCounts;
  samples: ChangeSamples;
  /** Kind-specific figures for the summary (e.g. skippedUnknownCodes, modifiers). */
  extra?: Record<string, unknown>;
}

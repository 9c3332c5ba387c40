import type { SourcePosition } from './records.js';

/** Describe a position the way a person reads it: `file.csv line 12` or `file.xlsx sheet S row 9`. */
export function describePosition(at: SourcePosition): string {
  const parts = [at.file];
  if (at.sheet !== undefined) parts.push(`sheet "${at.sheet}"`);
  if (at.row !== undefined) parts.push(`row ${at.row}`);
  if (at.line !== undefined) parts.push(`line ${at.line}`);
  return parts.join(' ');
}

/**
 * A problem with an input file. The message always names the file, the place in it (line, or
 * sheet and row) and the field where one applies, then the reason.
 */
export class IngestError extends Error {
  readonly at: SourcePosition;
  readonly field: string | undefined;
  readonly reason: string;

  constructor(at: SourcePosition, reason: string, field?: string) {
    super(`${describePosition(at)}${field ? `, field ${field}` : ''}: ${reason}`);
    this.name = 'IngestError';
    this.at = at;
    this.field = field;
    this.reason = reason;
  }
}

/** A load stopped on request (serve's stop signal during the seed): its transaction was rolled back. */
export class LoadAborted extends Error {
  constructor(readonly file: string) {
    super(`${file}: the load was stopped before it committed; nothing was written`);
    this.name = 'LoadAborted';
  }
}

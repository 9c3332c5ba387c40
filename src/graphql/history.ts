// A `history` list (one version per release, oldest first) and the fields each version changed
// against the one before it: shared by codes, modifiers, places of service and taxonomies.

type Comparable = Record<string, unknown>;

/** The version before this one in a history list, carried by the copy inHistoryOrder returns. */
const PREVIOUS = Symbol('previous');
type InHistory<T> = T & { readonly [PREVIOUS]?: Comparable };

/**
 * An oldest-first list of versions, each (after the first) a copy that carries the one before it:
 * per request, never marked on a row another request may share.
 */
export function inHistoryOrder<T extends object>(versions: T[]): InHistory<T>[] {
  return versions.map((version, i) => (i > 0 ? { ...version, [PREVIOUS]: versions[i - 1] as Comparable } : version));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
  }
  return (a ?? null) === (b ?? null);
}

/** The fields of `names` that differ from the previous version (null for the first one). */
export function changedFields(version: object, names: readonly string[]): string[] | null {
  const previous = (version as InHistory<object>)[PREVIOUS];
  if (!previous) return null;
  const current = version as Comparable;
  return names.filter((name) => !sameValue(previous[name], current[name]));
}

/** A Prisma selection of `names` (what changedFields compares). */
export function selectionOf(names: readonly string[]): Record<string, true> {
  return Object.fromEntries(names.map((name) => [name, true]));
}

/** Oldest release first, as every history lists its versions. */
export const HISTORY_ORDER = [{ release: { effectiveDate: 'asc' as const } }, { releaseId: 'asc' as const }];

/** The options of a version type's `changedFields` field, comparing `names`. */
export function changedFieldsField(names: readonly string[]) {
  return {
    nullable: true,
    description: 'Fields that differ from the previous version in the history (null for the first version).',
    select: selectionOf(names),
    resolve: (version: object) => changedFields(version, names),
  } as const;
}

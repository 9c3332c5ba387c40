// A code's history: one CodeVersion per release that carried it (the starter release included),
// oldest first, each with the fields that differ from the version before it.
import { HCPCS_FIELD_NAMES } from '../../ingest/diff.js';
import { builder } from '../builder.js';
import { Code } from './code.js';

type Comparable = Record<string, unknown>;

/** The version before this one in a history list, carried by the copy `history` returns. */
const PREVIOUS = Symbol('previous');
type InHistory<T> = T & { readonly [PREVIOUS]?: Comparable };

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
  }
  return (a ?? null) === (b ?? null);
}

const compared = Object.fromEntries(HCPCS_FIELD_NAMES.map((name) => [name, true])) as Record<string, true>;

export const CodeVersion = builder.prismaObject('CodeVersion', {
  variant: 'CodeVersion',
  description: 'A HCPCS Level II code as one release of the CMS file gave it (an entry of `Code.history`).',
  fields: (t) => ({
    code: t.exposeString('code'),
    release: t.relation('release'),
    shortDescription: t.exposeString('shortDescription'),
    longDescription: t.exposeString('longDescription'),
    addDate: t.expose('addDate', { type: 'Date', nullable: true }),
    actionEffectiveDate: t.expose('actionEffectiveDate', { type: 'Date', nullable: true }),
    terminationDate: t.expose('terminationDate', { type: 'Date', nullable: true }),
    actionCode: t.exposeString('actionCode', { nullable: true }),
    coverageCode: t.exposeString('coverageCode', { nullable: true }),
    pricingIndicators: t.exposeStringList('pricingIndicators'),
    multiplePricingIndicator: t.exposeString('multiplePricingIndicator', { nullable: true }),
    betos: t.exposeString('betos', { nullable: true }),
    typesOfService: t.exposeStringList('typesOfService'),
    changedFields: t.stringList({
      nullable: true,
      description: 'CMS fields that differ from the previous version in the history (null for the first version).',
      select: compared,
      resolve: (version) => {
        const previous = (version as InHistory<typeof version>)[PREVIOUS];
        if (!previous) return null;
        const current = version as unknown as Comparable;
        return HCPCS_FIELD_NAMES.filter((name) => !sameValue(previous[name], current[name]));
      },
    }),
  }),
});

builder.prismaObjectField(Code, 'history', (t) =>
  t.field({
    type: [CodeVersion],
    // A code appears in at most one release a quarter: twenty is years of history.
    complexity: { field: 1, multiplier: 20 },
    description: 'Every version of this code, one per release that carried it, oldest release first.',
    select: (_args, _ctx, nestedSelection) => ({
      identity: {
        select: {
          versions: nestedSelection({ orderBy: [{ release: { effectiveDate: 'asc' as const } }, { releaseId: 'asc' as const }] }),
        },
      },
    }),
    resolve: (version) => {
      const versions = version.identity.versions;
      return versions.map((v, i): InHistory<typeof v> => (i > 0 ? { ...v, [PREVIOUS]: versions[i - 1] as unknown as Comparable } : v));
    },
  }),
);

import { CodeRelationKind } from '../../generated/prisma/enums.js';
import { builder } from '../builder.js';

export const CodeRelationKindEnum = builder.enumType(CodeRelationKind, { name: 'CodeRelationKind' });

/** A related code, from curation or from the CMS file's cross-reference columns. */
export interface RelatedCodeShape {
  kind: CodeRelationKind;
  system: string;
  code: string;
  note: string | null;
  source: string;
}

export const RelatedCode = builder.objectRef<RelatedCodeShape>('RelatedCode').implement({
  description: 'A code related to another, with the kind of relation and where it comes from.',
  fields: (t) => ({
    kind: t.expose('kind', { type: CodeRelationKindEnum }),
    system: t.exposeString('system', { description: 'Code system of the related code (HCPCS, CPT, ...).' }),
    code: t.exposeString('code'),
    note: t.exposeString('note', { nullable: true }),
    source: t.exposeString('source'),
  }),
});

import { builder } from '../builder.js';

builder.prismaObject('Diagnosis', {
  description: 'An ICD-10-CM diagnosis code.',
  fields: (t) => ({
    code: t.exposeString('code'),
    description: t.exposeString('description'),
    source: t.exposeString('source'),
  }),
});

export const CodeDiagnosis = builder.prismaObject('CodeDiagnosis', {
  name: 'CodeDiagnosis',
  description: "A diagnosis that commonly supports a code's medical necessity.",
  fields: (t) => ({
    diagnosis: t.relation('diagnosis'),
    note: t.exposeString('note', { nullable: true }),
    source: t.exposeString('source'),
  }),
});

// Curated links of a code (relations, taxonomies, diagnoses, sites of service): create, revise,
// retire, each a revision in curation_revision; current reads leave retired links out.
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.js';
import type { Db } from '../../src/db/client.js';
import { useTestDatabase } from '../support/database.js';
import { graphql } from '../support/graphql.js';

let db: Db;
let steward: Record<string, string>;

const HISTORY = `query H($id: ID!) { curationHistory(id: $id) { revision action changedBy reason snapshot } }`;
const PROFILE = `{ code(code: "A9597") { taxonomies { taxonomy { code } note } diagnoses { diagnosis { code } } relatedCodes { kind system code } sitesOfService { setting placeOfService { code } } } }`;

/** What HISTORY and PROFILE select. */
type History = {
  curationHistory: {
    revision: number;
    action: string;
    changedBy: string;
    reason: string;
    snapshot: Record<string, unknown>;
  }[];
};
type Profile = {
  code: {
    taxonomies: { taxonomy: { code: string }; note: string | null }[];
    diagnoses: { diagnosis: { code: string } }[];
    relatedCodes: { kind: string; system: string; code: string }[];
    sitesOfService: { setting: string; placeOfService: { code: string } | null }[];
  } | null;
};

beforeAll(async () => {
  ({ db } = await useTestDatabase());
  steward = { 'x-api-key': (await createApiKey(db, 'sam', ['steward'])).key };
  await db.taxonomy.create({
    data: {
      code: '2085R0202X',
      grouping: 'Allopathic & Osteopathic Physicians',
      classification: 'Radiology',
      specialization: 'Diagnostic Radiology',
    },
  });
  await db.taxonomy.create({
    data: {
      code: '2085N0700X',
      grouping: 'Allopathic & Osteopathic Physicians',
      classification: 'Radiology',
      specialization: 'Neuroradiology',
    },
  });
  await db.diagnosis.create({
    data: { code: 'C189', description: 'Malignant neoplasm of colon, unspecified', source: 'test' },
  });
});

describe('code-taxonomy links', () => {
  it('creates, revises and retires with a revision each', async () => {
    const created = await graphql<{
      createCodeTaxonomy: { id: string; code: string; taxonomy: { code: string }; source: string };
    }>(
      `mutation { createCodeTaxonomy(input: { code: "A9597", taxonomy: "2085r0202x", source: "ACR practice parameter" }, reason: "radiologists read PET") { id code taxonomy { code } source } }`,
      {},
      steward,
    );
    expect(created.errors).toBeUndefined();
    const link = created.data!.createCodeTaxonomy;
    expect(link).toMatchObject({ code: 'A9597', taxonomy: { code: '2085R0202X' }, source: 'ACR practice parameter' });

    const revised = await graphql<{ reviseCodeTaxonomy: { taxonomy: { code: string }; note: string | null } }>(
      `mutation R($id: ID!) { reviseCodeTaxonomy(id: $id, input: { taxonomy: "2085N0700X", note: "neuro PET" }, reason: "more precise") { taxonomy { code } note } }`,
      { id: link.id },
      steward,
    );
    expect(revised.data!.reviseCodeTaxonomy).toEqual({ taxonomy: { code: '2085N0700X' }, note: 'neuro PET' });
    expect((await graphql<Profile>(PROFILE)).data!.code?.taxonomies).toEqual([
      { taxonomy: { code: '2085N0700X' }, note: 'neuro PET' },
    ]);

    const retired = await graphql(
      `mutation R($id: ID!) { retireCodeTaxonomy(id: $id, reason: "not typical") { id } }`,
      { id: link.id },
      steward,
    );
    expect(retired).toEqual({ status: 200, data: { retireCodeTaxonomy: { id: link.id } } });
    expect((await graphql<Profile>(PROFILE)).data!.code?.taxonomies).toEqual([]);
    expect(await db.codeTaxonomy.count()).toBe(1);

    const history = (await graphql<History>(HISTORY, { id: link.id })).data!.curationHistory;
    expect(history.map((r) => [r.revision, r.action, r.changedBy, r.reason, r.snapshot.taxonomyCode])).toEqual([
      [1, 'CREATE', 'sam', 'radiologists read PET', '2085R0202X'],
      [2, 'REVISE', 'sam', 'more precise', '2085N0700X'],
      [3, 'RETIRE', 'sam', 'not typical', '2085N0700X'],
    ]);
  });

  it('names the field of an unknown taxonomy', async () => {
    const response = await graphql(
      `mutation { createCodeTaxonomy(input: { code: "A9597", taxonomy: "1111111111", source: "s" }, reason: "r") { id } }`,
      {},
      steward,
    );
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.taxonomy' });
  });
});

describe('diagnoses, relations and sites of service', () => {
  it('creates each kind of link and shows it in the profile', async () => {
    const diagnosis = await graphql<{ createCodeDiagnosis: { diagnosis: { code: string } } }>(
      `mutation { createCodeDiagnosis(input: { code: "A9597", diagnosis: "C18.9", source: "LCD L33393" }, reason: "staging") { diagnosis { code } } }`,
      {},
      steward,
    );
    expect(diagnosis.data!.createCodeDiagnosis).toEqual({ diagnosis: { code: 'C189' } });
    const relation = await graphql<{
      createCodeRelation: { id: string; kind: string; relatedSystem: string; relatedCode: string };
    }>(
      `mutation { createCodeRelation(input: { code: "A9597", kind: BILLED_WITH, relatedSystem: "cpt", relatedCode: "78815", source: "CPT 2026" }, reason: "PET/CT") { id kind relatedSystem relatedCode } }`,
      {},
      steward,
    );
    expect(relation.data!.createCodeRelation).toMatchObject({
      kind: 'BILLED_WITH',
      relatedSystem: 'CPT',
      relatedCode: '78815',
    });
    const site = await graphql<{
      createSiteOfService: { id: string; setting: string; placeOfService: { code: string } | null };
    }>(
      `mutation { createSiteOfService(input: { code: "A9597", setting: "Hospital outpatient PET suite", placeOfService: "22", source: "CMS POS" }, reason: "common") { id setting placeOfService { code } } }`,
      {},
      steward,
    );
    expect(site.data!.createSiteOfService).toMatchObject({
      setting: 'Hospital outpatient PET suite',
      placeOfService: { code: '22' },
    });

    const profile = (await graphql<Profile>(PROFILE)).data!.code!;
    expect(profile.diagnoses).toEqual([{ diagnosis: { code: 'C189' } }]);
    expect(profile.relatedCodes).toEqual([{ kind: 'BILLED_WITH', system: 'CPT', code: '78815' }]);
    expect(profile.sitesOfService).toContainEqual({
      setting: 'Hospital outpatient PET suite',
      placeOfService: { code: '22' },
    });

    const badPos = await graphql(
      `mutation R($id: ID!) { reviseSiteOfService(id: $id, input: { placeOfService: "99" }, reason: "r") { id } }`,
      { id: site.data!.createSiteOfService.id },
      steward,
    );
    expect(badPos.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.placeOfService' });
    const history = (await graphql<History>(HISTORY, { id: relation.data!.createCodeRelation.id })).data!
      .curationHistory;
    expect(history).toEqual([
      {
        revision: 1,
        action: 'CREATE',
        changedBy: 'sam',
        reason: 'PET/CT',
        snapshot: expect.objectContaining({ relatedCode: '78815', kind: 'BILLED_WITH' }),
      },
    ]);
  });
});

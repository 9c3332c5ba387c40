// Loads refgraph's own starter data (prisma/seed/starter-data.json) once (starter_data_load
// records it). The CMS text it carries (A9597's version, modifier TC, places of service 19 and 22)
// stands in for a code system only while that system has no official release: for a system that
// has one, only what no official file carries is loaded (A9597's service type, sites, modifier
// guidance and clinical context, CPT modifier 26, the payers). An official load later removes the
// starter release of its system (src/ingest/load-release.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CodeSystemKind, PayerKind, ModifierSource } from '../generated/prisma/enums.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { contentHash } from '../ingest/content-hash.js';

const STARTER_FILE = fileURLToPath(new URL('../../prisma/seed/starter-data.json', import.meta.url));

interface StarterData {
  source: string;
  releases: Partial<Record<CodeSystemKind, { name: string; effectiveDate: string }>>;
  payers: { slug: string; name: string; kind: PayerKind; website?: string }[];
  placesOfService: { code: string; name: string; description?: string }[];
  modifiers: {
    code: string;
    source: ModifierSource;
    longDescription: string;
    shortDescription?: string;
    coverageCode?: string;
    addDate?: string;
    actionEffectiveDate?: string;
    actionCode?: string;
    sourceNote?: string;
  }[];
  codes: {
    code: string;
    serviceType: string;
    version: {
      longDescription: string;
      shortDescription: string;
      pricingIndicators?: string[];
      multiplePricingIndicator?: string;
      coverageCode?: string;
      betos?: string;
      typesOfService?: string[];
      anesthesiaBaseUnits?: number;
      addDate?: string;
      actionEffectiveDate?: string;
      actionCode?: string;
    };
    sitesOfService: { setting: string; placeOfService?: string; note?: string }[];
    modifiers: { modifier: string; whenToUse: string }[];
    clinicalContext: {
      scenario: string;
      workflow: { stage: string; actor: string; description: string }[];
      componentBilling: string;
    };
  }[];
}

export function readStarterData(): StarterData {
  return JSON.parse(readFileSync(STARTER_FILE, 'utf8')) as StarterData;
}

const date = (value: string | undefined) => (value ? new Date(`${value}T00:00:00Z`) : null);

/** Returns true when it loaded the starter data, false when it was already there. */
export async function loadStarterData(db: PrismaClient): Promise<boolean> {
  const data = readStarterData();
  return db.$transaction(async (tx) => {
    // Serialise concurrent first starts.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(727274002)`;
    if ((await tx.starterDataLoad.count()) > 0) return false;
    await tx.starterDataLoad.create({ data: {} });
    // Loaded before the marker existed (its releases are still there): nothing more to do.
    if ((await tx.release.count({ where: { origin: 'STARTER' } })) > 0) return false;

    const systems = await tx.codeSystem.findMany({ include: { _count: { select: { releases: { where: { origin: 'OFFICIAL' } } } } } });
    const systemId = (kind: CodeSystemKind) => {
      const found = systems.find((s) => s.kind === kind);
      if (!found) throw new Error(`code system ${kind} is missing: run the migrations first`);
      return found.id;
    };
    const official = new Set(systems.filter((s) => s._count.releases > 0).map((s) => s.kind));
    const releaseIds = new Map<CodeSystemKind, number>();
    for (const [kind, release] of Object.entries(data.releases) as [CodeSystemKind, { name: string; effectiveDate: string }][]) {
      if (official.has(kind)) continue;
      const created = await tx.release.create({
        data: {
          systemId: systemId(kind),
          name: release.name,
          effectiveDate: date(release.effectiveDate)!,
          origin: 'STARTER',
          sourceFile: 'prisma/seed/starter-data.json',
        },
      });
      releaseIds.set(kind, created.id);
    }

    for (const payer of data.payers) {
      await tx.payer.upsert({ where: { slug: payer.slug }, create: payer, update: {} });
    }
    // The CMS text of the starter release is one version of each entry, as a load would write it.
    for (const place of official.has('PLACE_OF_SERVICE') ? [] : data.placesOfService) {
      const releaseId = releaseIds.get('PLACE_OF_SERVICE')!;
      const fields = { name: place.name, description: place.description ?? null, assigned: true };
      await tx.placeOfService.upsert({ where: { code: place.code }, create: { code: place.code, ...fields, releaseId }, update: {} });
      await tx.placeOfServiceVersion.create({ data: { code: place.code, ...fields, releaseId } });
    }
    // CPT modifiers are curated, never in an official file: always loaded.
    for (const modifier of data.modifiers.filter((m) => m.source === 'CPT' || !official.has('MODIFIER'))) {
      const created = await tx.modifier.upsert({
        where: { code: modifier.code },
        create: {
          code: modifier.code,
          source: modifier.source,
          longDescription: modifier.longDescription,
          shortDescription: modifier.shortDescription ?? null,
          coverageCode: modifier.coverageCode ?? null,
          addDate: date(modifier.addDate),
          actionEffectiveDate: date(modifier.actionEffectiveDate),
          actionCode: modifier.actionCode ?? null,
          sourceNote: modifier.sourceNote ?? data.source,
          releaseId: modifier.source === 'HCPCS_LEVEL_II' ? (releaseIds.get('MODIFIER') ?? null) : null,
        },
        update: {},
      });
      if (created.releaseId !== null && created.releaseId === releaseIds.get('MODIFIER')) {
        const { id, releaseId, source: _s, sourceNote: _n, ...fields } = created;
        await tx.modifierVersion.create({ data: { ...fields, modifierId: id, releaseId } });
      }
    }

    const hcpcsRelease = releaseIds.get('HCPCS');
    for (const entry of data.codes) {
      const code = await tx.code.upsert({
        where: { code: entry.code },
        create: { code: entry.code, serviceType: entry.serviceType },
        update: { serviceType: entry.serviceType },
      });
      const version = {
        longDescription: entry.version.longDescription,
        shortDescription: entry.version.shortDescription,
        pricingIndicators: entry.version.pricingIndicators ?? [],
        multiplePricingIndicator: entry.version.multiplePricingIndicator ?? null,
        cimReferences: [],
        mcmReferences: [],
        statute: null,
        labCertifications: [],
        crossReferences: [],
        coverageCode: entry.version.coverageCode ?? null,
        ascGroup: null,
        ascEffectiveDate: null,
        processingNote: null,
        betos: entry.version.betos ?? null,
        typesOfService: entry.version.typesOfService ?? [],
        anesthesiaBaseUnits: entry.version.anesthesiaBaseUnits ?? null,
        addDate: date(entry.version.addDate),
        actionEffectiveDate: date(entry.version.actionEffectiveDate),
        terminationDate: null,
        actionCode: entry.version.actionCode ?? null,
      };
      if (hcpcsRelease !== undefined) {
        await tx.codeVersion.create({
          data: { ...version, code: entry.code, codeId: code.id, releaseId: hcpcsRelease, contentHash: contentHash(version) },
        });
      }
      for (const site of entry.sitesOfService) {
        await tx.codeSiteOfService.create({
          data: {
            codeId: code.id,
            setting: site.setting,
            placeOfServiceCode: site.placeOfService ?? null,
            note: site.note ?? null,
            source: data.source,
          },
        });
      }
      for (const link of entry.modifiers) {
        const modifier = await tx.modifier.findUnique({ where: { code: link.modifier } });
        // An official release without this modifier: no guidance to attach.
        if (!modifier) continue;
        await tx.codeModifier.create({
          data: { codeId: code.id, modifierId: modifier.id, whenToUse: link.whenToUse, source: data.source },
        });
      }
      await tx.clinicalContext.create({
        data: { codeId: code.id, ...entry.clinicalContext, source: data.source },
      });
    }
    return true;
    // Prisma's default of 5 s is too short for a first start on a busy machine (seen under load:
    // serve then exits before it listens); the advisory lock keeps concurrent starts apart anyway.
  }, { timeout: 60_000, maxWait: 60_000 });
}

// CMS place-of-service codes into the place_of_service table.
import type { PlaceOfServiceRecord } from '../records.js';
import type { WriteContext, WriteResult } from './context.js';
import { writeFlat, type FlatTable } from './flat.js';

const PLACE_OF_SERVICE_TABLE: FlatTable = {
  table: 'place_of_service',
  key: ['code'],
  columns: [
    { column: 'code', type: 'text' },
    { column: 'name', type: 'text' },
    { column: 'description', type: 'text' },
    { column: 'assigned', type: 'boolean' },
  ],
  descriptions: ['name', 'description'],
};

export function writePlacesOfService(ctx: WriteContext, places: readonly PlaceOfServiceRecord[]): Promise<WriteResult> {
  return writeFlat(
    ctx,
    PLACE_OF_SERVICE_TABLE,
    places.map((p) => ({ code: p.code, name: p.name, description: p.description, assigned: p.assigned })),
  );
}

// Exposed columns of select-mode Prisma types answer straight from the row when the row holds
// the column. Pothos's prisma plugin otherwise looks up the row's loader mapping for every such
// field of every row (a response-path string per field), which was ~13% of the CPU of a page of
// 50 codes with their coverage notes in the `npm run bench` profile. A column the row lacks (not
// selected by the planned query) still goes through the plugin, which loads it.
//
// The same holds for a relation to a type none of whose fields consult the plugin (Payer, in
// include mode): nothing beneath it needs the mapping the plugin would record, so a related row
// already loaded (not null) is returned as it is.
import { getNamedType, isObjectType, type GraphQLField, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

/** True when no field of `type` is resolved through the prisma plugin's loader mappings. */
function isPlainLeaf(type: unknown): boolean {
  return isObjectType(type) && Object.values(type.getFields()).every((field) => !field.extensions?.pothosPrismaSelect);
}

/** The property of the parent row a field answers from directly, if any. */
function directProperty(field: GraphQLField<unknown, unknown>): { name: string; nullGoesThrough: boolean } | null {
  const extensions = field.extensions as Record<string, unknown> | undefined;
  if (!extensions?.pothosPrismaSelect) return null;
  if (typeof extensions.pothosPrismaVariant === 'string')
    return { name: extensions.pothosPrismaVariant, nullGoesThrough: false };
  const relation = extensions.pothosPrismaRelationField as { name?: unknown } | undefined;
  if (typeof relation?.name === 'string' && isPlainLeaf(getNamedType(field.type)))
    return { name: relation.name, nullGoesThrough: true };
  return null;
}

export function answerExposedColumnsFromRows(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      // Only argument-free fields: two aliases of a field with arguments may need different rows.
      const property = field.resolve && field.args.length === 0 ? directProperty(field) : null;
      if (!property) continue;
      const planned: GraphQLFieldResolver<unknown, unknown> = field.resolve!;
      const { name, nullGoesThrough } = property;
      field.resolve = (parent, args, context, info) => {
        const value = (parent as Record<string, unknown> | null)?.[name];
        // A null relation goes through the plugin, which applies the field's onNull, if any.
        return value === undefined || (nullGoesThrough && value === null)
          ? planned(parent, args, context, info)
          : value;
      };
    }
  }
  return schema;
}

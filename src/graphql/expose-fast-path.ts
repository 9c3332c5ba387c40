// Exposed columns of select-mode Prisma types answer straight from the row when the row holds
// the column. Pothos's prisma plugin otherwise looks up the row's loader mapping for every such
// field of every row (a response-path string per field), which was ~13% of the CPU of a page of
// 50 codes with their coverage notes in the `npm run bench` profile. A column the row lacks (not
// selected by the planned query) still goes through the plugin, which loads it.
import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

export function answerExposedColumnsFromRows(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const column = field.extensions?.pothosPrismaVariant;
      if (typeof column !== 'string' || !field.extensions?.pothosPrismaSelect || !field.resolve) continue;
      const planned: GraphQLFieldResolver<unknown, unknown> = field.resolve;
      field.resolve = (parent, args, context, info) => {
        const value = (parent as Record<string, unknown> | null)?.[column];
        return value !== undefined ? value : planned(parent, args, context, info);
      };
    }
  }
  return schema;
}

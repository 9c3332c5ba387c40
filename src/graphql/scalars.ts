// Custom scalars. Dates are calendar dates (YYYY-MM-DD, no time zone), as CMS publishes them.
import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder.js';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parse YYYY-MM-DD into a Date at UTC midnight; undefined when it is not a real date. */
export function parseCalendarDate(value: string): Date | undefined {
  const match = DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value ? date : undefined;
}

function dateFromInput(value: unknown): Date {
  if (typeof value !== 'string') throw new GraphQLError('Date must be a string in the form YYYY-MM-DD');
  const date = parseCalendarDate(value);
  if (!date) throw new GraphQLError(`"${value.slice(0, 40)}" is not a date in the form YYYY-MM-DD`);
  return date;
}

builder.scalarType('Date', {
  description: 'A calendar date, YYYY-MM-DD.',
  serialize: (value) => value.toISOString().slice(0, 10),
  parseValue: dateFromInput,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string in the form YYYY-MM-DD');
    return dateFromInput(ast.value);
  },
});

builder.scalarType('DateTime', {
  description: 'An instant, ISO 8601 with time zone.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : undefined;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO 8601 string');
    return date;
  },
});

builder.scalarType('Decimal', {
  description: 'An exact decimal number, as a string (e.g. "57.00"), for money and weights.',
  serialize: (value) => value.toString(),
  parseValue: (value) => {
    if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value))
      throw new GraphQLError('Decimal must be a string such as "12.50"');
    return value;
  },
});

builder.scalarType('JSON', {
  description: 'Arbitrary JSON.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

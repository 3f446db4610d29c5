import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';

/** Any JSON value, passed through (graphql.md §3). */
export const JsonScalar = new GraphQLScalarType({
  name: 'Json',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON object, given as an object or as its JSON text (the seed passes `prefs: "{}"`). */
function toAssoc(value: unknown): Record<string, unknown> {
  if (isObject(value)) return value;
  if (Array.isArray(value) && value.length === 0) return {};
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isObject(parsed) || (Array.isArray(parsed) && parsed.length === 0)) return isObject(parsed) ? parsed : {};
    } catch {
      // not JSON: refused below
    }
  }
  throw new GraphQLError('Value must be a valid object.');
}

export const AssocScalar = new GraphQLScalarType({
  name: 'Assoc',
  description: 'A JSON object, or its JSON encoding as a string.',
  serialize: (value) => value,
  parseValue: toAssoc,
  parseLiteral: (ast, variables) => toAssoc(ast.kind === Kind.STRING ? ast.value : valueFromASTUntyped(ast, variables)),
});

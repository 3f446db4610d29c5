/**
 * A tiny JSON Schema (2020-12) checker for the subset the integration-event schemas use:
 * type (one or several), const, enum, required, properties, additionalProperties (boolean or
 * schema), minLength, maxLength, pattern, minimum, format date-time/uri, items, maxItems, uniqueItems. Used by the tests to
 * check mapped events against libs/messaging/schemas/ without a dependency. Unknown keywords
 * other than annotations are reported, so a schema cannot silently use something unchecked.
 */
export interface JsonSchema {
  [keyword: string]: unknown;
}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$comment', 'examples', 'default']);
const CHECKED = new Set([
  'type',
  'const',
  'enum',
  'required',
  'properties',
  'additionalProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'format',
  'items',
  'maxItems',
  'uniqueItems',
]);

// RFC 3339 date-time (what CloudEvents `time` requires).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const ABSOLUTE_URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** Returns the problems found (empty: valid). Paths are JSON-pointer-like. */
export function validateJsonSchema(schema: JsonSchema, value: unknown, path = ''): string[] {
  const errors: string[] = [];
  const at = path || '/';
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !CHECKED.has(keyword)) errors.push(`${at}: unsupported keyword ${keyword}`);
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => matchesType(value, t))) {
      errors.push(`${at}: expected ${types.join(' or ')}, got ${typeOf(value)}`);
      return errors;
    }
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) {
    errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    errors.push(`${at}: not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${at}: does not match ${schema.pattern}`);
    if (schema.format === 'date-time' && !DATE_TIME.test(value)) errors.push(`${at}: not an RFC 3339 date-time`);
    if (schema.format === 'uri' && !ABSOLUTE_URI.test(value)) errors.push(`${at}: not an absolute URI`);
  }
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum) {
    errors.push(`${at}: less than ${schema.minimum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errors.push(`${at}: items not unique`);
    if (typeof schema.items === 'object' && schema.items !== null) value.forEach((item, i) => errors.push(...validateJsonSchema(schema.items as JsonSchema, item, `${path}/${i}`)));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of (schema.required as string[] | undefined) ?? []) {
      if (!(name in object)) errors.push(`${path}/${name}: required`);
    }
    const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
    for (const [name, child] of Object.entries(object)) {
      if (name in properties) errors.push(...validateJsonSchema(properties[name], child, `${path}/${name}`));
      else if (schema.additionalProperties === false) errors.push(`${path}/${name}: not allowed`);
      else if (typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null) {
        errors.push(...validateJsonSchema(schema.additionalProperties as JsonSchema, child, `${path}/${name}`));
      }
    }
  }
  return errors;
}

/**
 * The `total` parameter of every list route (Appwrite 1.8.1): false answers `total: 0` without
 * counting. A boolean of Appwrite's loose kind, since query strings only carry text: `true`,
 * `false`, `1`, `0` (and JSON booleans). Appwrite's PHP then casts the text, which turns
 * `"false"` into true; it is read by its meaning here, as for every loose boolean (users-api.md §5.15).
 */
import type { ParamDef } from '../validation/params';
import { BooleanLoose } from '../validation/rules';

export const TOTAL_PARAM: ParamDef = {
  name: 'total',
  in: 'query',
  required: false,
  default: true,
  rule: BooleanLoose,
  openapi: { type: 'boolean', description: 'When set to false, the total count returned will be 0 and will not be calculated.' },
};

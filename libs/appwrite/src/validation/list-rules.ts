/**
 * Utopia's ArrayList and URL validators (Appwrite 1.3: team roles, invitation URLs). The
 * descriptions are part of the wire contract and copied verbatim, grammar included.
 */
import type { Rule, RuleSchema } from './rules';

/**
 * A JSON array of at most `max` elements (0 = no maximum), each passing `element`. PHP's
 * `is_array` also takes JSON objects; here only arrays pass.
 */
export function ArrayList(element: Rule, max = 0): Rule {
  const longest = max > 0 ? ` no longer than ${max} items` : '';
  return {
    description: `Value must a valid array${longest}${element.description ? ` and ${element.description}` : ''}`,
    check: (value) => Array.isArray(value) && (max === 0 || value.length <= max) && value.every((v) => element.check(v)),
    coerce: (value) => (element.coerce ? (value as unknown[]).map((v) => element.coerce!(v)) : value),
    schema: { ...(max > 0 ? { maxItems: max } : {}), ...(element.schema ? { items: element.schema } : {}) },
  };
}

// PHP's FILTER_VALIDATE_URL, approximated: a scheme, `://`, a host, printable ASCII only.
const URL_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[!-~]*$/;

/**
 * A subset of what passes, since WHATWG parsing has no regex form: hosts of two or more
 * letter-first alphanumeric labels (a numeric last label is read as IPv4 and may fail, `xn--`
 * must be valid Punycode, `file://localhost` has an empty host) and no port (a `file:` URL
 * refuses any).
 */
const URL_SCHEMA: RuleSchema = {
  pattern: '^[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z][A-Za-z0-9]*(?:\\.[A-Za-z][A-Za-z0-9]*)+(?:/[!-~]*)?$',
};

/**
 * A URL. Appwrite checks invitation URLs with Host(platform hostnames); this service keeps no
 * platform list, so any well-formed URL passes (it is only used in invitation emails, which
 * API-key invitations never send).
 */
export const Url: Rule = {
  description: 'Value must be a valid URL',
  check: (value) => {
    if (typeof value !== 'string' || !URL_RE.test(value)) return false;
    try {
      return new URL(value).host !== '';
    } catch {
      return false;
    }
  },
  schema: URL_SCHEMA,
};

/**
 * Request body limits: the one place that says how large a body each route accepts, derived
 * from the largest value each of its body parameters can validly take.
 *
 * Appwrite itself reads bodies up to Swoole's `package_max_length` (6 MB, app/http.php) and
 * leaves the rest to the validators. Reading, decoding and validating megabytes for a parameter
 * that may hold 65 535 bytes only costs time, so each route stops at what its parameters can
 * need; a larger body is answered as Appwrite's validator would answer it (`oversizeMessage`).
 */
import type { EndpointDef } from './endpoint-def';

export interface ParamAllowance {
  /** Largest JSON text of a valid value. */
  bytes: number;
  /** Whether the rule itself refuses larger values (so its message explains an oversize body). */
  ruleBoundsSize: boolean;
}

/** Body parameters by name: how large their JSON can validly be. Each context declares its own. */
export type BodyAllowances = Readonly<Record<string, ParamAllowance>>;

/** Worst-case JSON size of one ASCII character: `\u0041`. */
export const ASCII_CHAR = 6;
/** Worst-case JSON size of one code point of free text: an escaped surrogate pair `\ud83d\ude00`. */
export const ANY_CHAR = 12;
export const jsonString = (chars: number, perChar = ASCII_CHAR) => 2 + chars * perChar;
export const bounded = (bytes: number): ParamAllowance => ({ bytes, ruleBoundsSize: true });

/**
 * Braces, separators, whitespace a client may add, and the `project` parameter that the API-key
 * guard also reads from bodies. Also the limit of routes without body parameters (SDKs send `{}`
 * on DELETE) and of unknown routes.
 */
export const BODY_ENVELOPE_BYTES = 1024;

export interface BodyPolicy {
  /** Bytes of body the route reads; more is drained, not parsed. */
  limit: number;
  /** Message of the 400 for a body over the limit. */
  oversizeMessage: string;
}

/** Fallback text when the largest parameter's rule says nothing about size. */
export const GENERIC_OVERSIZE_MESSAGE = 'Request body is too large.';

export const DEFAULT_BODY_POLICY: BodyPolicy = { limit: BODY_ENVELOPE_BYTES, oversizeMessage: GENERIC_OVERSIZE_MESSAGE };

export function bodyPolicyOf(def: EndpointDef, allowances: BodyAllowances): BodyPolicy {
  // JSON lines are no param object: the route says how much it takes.
  if (def.jsonLines?.request) return { limit: def.jsonLines.request.maxBytes, oversizeMessage: GENERIC_OVERSIZE_MESSAGE };
  let limit = BODY_ENVELOPE_BYTES;
  let largest: { name: string; description: string; allowance: ParamAllowance } | undefined;
  for (const p of def.params) {
    if (p.in !== 'body') continue;
    const allowance = allowances[p.name];
    if (!allowance) throw new Error(`No body allowance for param "${p.name}" of ${def.sdkMethod} (declare it with the endpoint's context)`);
    // `"name":` plus the value and a comma.
    limit += p.name.length + 4 + allowance.bytes;
    if (!largest || allowance.bytes > largest.allowance.bytes) largest = { name: p.name, description: p.rule.description, allowance };
  }
  // A body that large almost surely holds a too-large value of the largest parameter, which is
  // what Appwrite would report (e.g. `Invalid prefs: Value must be a valid object.`).
  const oversizeMessage = largest?.allowance.ruleBoundsSize ? `Invalid ${largest.name}: ${largest.description}` : GENERIC_OVERSIZE_MESSAGE;
  return { limit, oversizeMessage };
}

export const bodyPolicyKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** Policies by `METHOD /path` as Fastify registers the routes. */
export function bodyPolicies(endpoints: readonly EndpointDef[], allowances: BodyAllowances): Map<string, BodyPolicy> {
  return new Map(endpoints.map((e) => [bodyPolicyKey(e.method, e.path), bodyPolicyOf(e, allowances)]));
}

import { AppwriteException, ErrorType, isUniqueIdRequest, ParamDef, phpJsonDecodeBytes, ResponseFormat, Rule, Rules, validateParams } from '@lib/appwrite';
import { bodyParam } from '@lib/http';
import { DEFAULT_HASH_OPTIONS } from '@lib/passwords';
import type { IncomingPassword, NewUserInput } from '../create-user/create-user';
import { CREATE_USER, HASH_IMPORTS, ImportedHash } from '../create-user/create-user.endpoints';
import { UPDATE_EMAIL_VERIFICATION } from '../update-email-verification/update-email-verification';
import { UPDATE_IMPERSONATOR } from '../update-impersonator/update-impersonator';
import { UPDATE_LABELS } from '../update-labels/update-labels';
import { UPDATE_MFA } from '../update-mfa/update-mfa';
import { UPDATE_PHONE_VERIFICATION } from '../update-phone-verification/update-phone-verification';
import { UPDATE_PREFS } from '../update-prefs/update-prefs';
import { UPDATE_STATUS } from '../update-status/update-status';
import { EXPORT_TRAILER_KEY } from '../export-users/export-line';
import type { ImportedFields } from './import-user';

/**
 * One line of an import file: the params of the create route its `hash` names (Create User for
 * none), validated by that route's own declaration in its order, then what the update routes
 * would set afterwards (labels, prefs, status, verification, mfa, impersonator), validated by
 * theirs. Two departures, both so that every exported line imports as is: a hashed line may have
 * a phone (Create User's rule) and may lack an email (the hash routes require one).
 */

export interface ImportLine {
  /** 1-based line number in the file. */
  line: number;
  user: NewUserInput;
  fields: ImportedFields;
}

export interface ImportFailure {
  line: number;
  type: ErrorType;
  message: string;
}

const HASHES = Object.keys(HASH_IMPORTS) as ImportedHash[];
const hashParam = bodyParam('hash', Rules.WhiteList(HASHES, false), 'string', 'Algorithm the password was hashed with; absent: the password is plain text.');

/** Where each stored hash option goes among its route's params (the inverse of HASH_IMPORTS' hashOptions). */
const OPTION_PARAMS: Readonly<Record<string, string>> = {
  version: 'passwordVersion',
  salt: 'passwordSalt',
  costCpu: 'passwordCpu',
  costMemory: 'passwordMemory',
  costParallel: 'passwordParallel',
  length: 'passwordLength',
  saltSeparator: 'passwordSaltSeparator',
  signerKey: 'passwordSignerKey',
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sameOptions = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * The options a hash's route records, by their stored names. Argon2 may also carry the options
 * this service records for the passwords it hashes itself: such a user came from a plain password.
 */
function hashOptionsRule(hash: ImportedHash): Rule {
  const params = new Set(HASH_IMPORTS[hash].endpoint.params.map((p) => p.name));
  const names = ['type', ...Object.keys(OPTION_PARAMS).filter((o) => params.has(OPTION_PARAMS[o]))];
  return {
    description: `Value must be an object of the ${hash} options (${names.join(', ')})${hash === 'argon2' ? ' or the service default ones' : ''} with type "${hash}"`,
    check: (value) =>
      isObject(value) &&
      (value.type === undefined || value.type === hash) &&
      (Object.keys(value).every((k) => names.includes(k)) || (hash === 'argon2' && sameOptions(value, DEFAULT_HASH_OPTIONS))),
  };
}

const HASH_OPTIONS_RULES = Object.fromEntries(HASHES.map((h) => [h, bodyParam('hashOptions', hashOptionsRule(h), 'object', `Options of the ${h} hash, as stored.`)])) as Record<ImportedHash, ParamDef>;
const NO_HASH_OPTIONS = bodyParam('hashOptions', { description: 'Value must come with a hash: a plain password has no options', check: () => false }, 'object', 'Only with a hash.');

const optional = (p: ParamDef): ParamDef => ({ ...p, required: false, default: undefined });
const bodyParamOf = (params: readonly ParamDef[], name: string): ParamDef => optional(params.find((p) => p.name === name && p.in === 'body')!);

const phoneParam = bodyParamOf(CREATE_USER.params, 'phone');
/** What the update routes set after a creation, in the order they are applied. */
const UPDATE_PARAMS: ParamDef[] = [
  bodyParamOf(UPDATE_LABELS.params, 'labels'),
  bodyParamOf(UPDATE_PREFS.params, 'prefs'),
  bodyParamOf(UPDATE_STATUS.params, 'status'),
  bodyParamOf(UPDATE_EMAIL_VERIFICATION.params, 'emailVerification'),
  bodyParamOf(UPDATE_PHONE_VERIFICATION.params, 'phoneVerification'),
  bodyParamOf(UPDATE_MFA.params, 'mfa'),
  bodyParamOf(UPDATE_IMPERSONATOR.params, 'impersonator'),
];

/** The params of a plain line and of a line of each hash, in validation order. */
const PLAIN_LINE: ParamDef[] = [NO_HASH_OPTIONS, ...CREATE_USER.params, ...UPDATE_PARAMS];
const HASHED_LINE = Object.fromEntries(
  HASHES.map((h) => [h, [HASH_OPTIONS_RULES[h], ...HASH_IMPORTS[h].endpoint.params.map((p) => (p.name === 'email' ? optional(p) : p)), phoneParam, ...UPDATE_PARAMS]]),
) as Record<ImportedHash, ParamDef[]>;

/** A line as the create route's body: the stored hash options under the route's param names. */
function asRouteBody(line: Record<string, unknown>): Record<string, unknown> {
  if (!isObject(line.hashOptions)) return line;
  const body = { ...line };
  for (const [option, value] of Object.entries(line.hashOptions)) if (OPTION_PARAMS[option]) body[OPTION_PARAMS[option]] = value;
  return body;
}

/**
 * Reads one line (its bytes, without the newline): the user it imports, why it cannot be
 * imported, or null for a line that holds no user (blank, or an export's trailer).
 */
export function readImportLine(bytes: Uint8Array, line: number, format: ResponseFormat): ImportLine | ImportFailure | null {
  if (isBlank(bytes)) return null;
  const decoded = phpJsonDecodeBytes(bytes);
  if (!decoded.ok || !isObject(decoded.value)) return { line, type: 'general_argument_invalid', message: 'Invalid line: Value must be a JSON object.' };
  const value = decoded.value;
  // An export's trailer: an export imports as is.
  if (EXPORT_TRAILER_KEY in value) return null;
  try {
    const { hash } = validateParams([hashParam], { path: {}, body: value, query: {} }, format) as { hash: ImportedHash | null };
    const p = validateParams(hash ? HASHED_LINE[hash] : PLAIN_LINE, { path: {}, body: asRouteBody(value), query: {} }, format) as Record<string, any>;
    const password: IncomingPassword = hash
      ? { kind: 'hashed', stored: { password: p.password, hash, hashOptions: storedOptions(hash, p, value.hashOptions) } }
      : p.password
        ? { kind: 'plain', plain: p.password }
        : { kind: 'none' };
    const fields: ImportedFields = {};
    for (const param of UPDATE_PARAMS) if (p[param.name] !== undefined) (fields as Record<string, unknown>)[param.name] = p[param.name];
    return { line, user: { userId: p.userId, email: p.email ?? null, phone: p.phone ?? null, name: p.name, password }, fields };
  } catch (err) {
    if (err instanceof AppwriteException) return { line, type: err.type, message: err.message };
    throw err;
  }
}

/** What the hash's route records; argon2 options of our own default stay ours (the user had a plain password). */
function storedOptions(hash: ImportedHash, params: Record<string, unknown>, given: unknown): Record<string, unknown> {
  if (hash === 'argon2' && isObject(given) && sameOptions(given, DEFAULT_HASH_OPTIONS)) return { ...DEFAULT_HASH_OPTIONS };
  return HASH_IMPORTS[hash].hashOptions(params);
}

const isBlank = (bytes: Uint8Array) => bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0d);

/**
 * The lines of a file (split at `\n`; a `\r` before it is blank space), each read with
 * readImportLine; lines that hold no user are left out.
 */
export function readImportFile(file: Buffer, format: ResponseFormat): Array<ImportLine | ImportFailure> {
  const out: Array<ImportLine | ImportFailure> = [];
  let start = 0;
  for (let line = 1; start <= file.length; line++) {
    let end = file.indexOf(0x0a, start);
    if (end < 0) end = file.length;
    const read = readImportLine(file.subarray(start, end), line, format);
    if (read) out.push(read);
    start = end + 1;
  }
  return out;
}

export const isFailure = (read: ImportLine | ImportFailure): read is ImportFailure => 'type' in read;

/**
 * Uniqueness inside the file: of the lines that passed validation, the first to name an id, an
 * email (in lower case, as stored) or a phone keeps it; later ones fail as a taken value would.
 * Pure; the store then decides against existing users.
 */
export function claimWithinFile(lines: readonly ImportLine[]): { accepted: ImportLine[]; failed: ImportFailure[] } {
  const seen = new Map<string, number>();
  const accepted: ImportLine[] = [];
  const failed: ImportFailure[] = [];
  for (const l of lines) {
    const { userId, email, phone } = l.user;
    const keys: Array<[string | null, ErrorType, string]> = [
      [isUniqueIdRequest(userId) ? null : `id:${userId}`, 'user_already_exists', 'id'],
      [email === null ? null : `email:${email.toLowerCase()}`, 'user_email_already_exists', 'email'],
      [phone === null ? null : `phone:${phone}`, 'user_phone_already_exists', 'phone'],
    ];
    const taken = keys.find(([key]) => key !== null && seen.has(key));
    if (taken) {
      failed.push({ line: l.line, type: taken[1], message: `A user with the same ${taken[2]} is already in this import (line ${seen.get(taken[0]!)}).` });
      continue;
    }
    for (const [key] of keys) if (key !== null) seen.set(key, l.line);
    accepted.push(l);
  }
  return { accepted, failed };
}

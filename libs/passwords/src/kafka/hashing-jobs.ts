import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { PasswordHash } from '../hashing.port';

/**
 * The wire format of password-hashing jobs and replies exchanged over Kafka between the gateway
 * (KafkaHashingAdapter) and the hasher app, and the crypto that protects them. Used by both sides.
 *
 * A Kafka message value is a small JSON envelope; everything sensitive (the plaintext password,
 * the stored hash, where to reply, the deadline) is inside `ct`, encrypted with AES-256-GCM under
 * a key both sides share (HASHER_SHARED_KEY). The associated data binds the ciphertext to its
 * direction and job id (`users-hashing/v1/job/<id>`, `users-hashing/v1/reply/<id>`), so a reply
 * cannot be swapped for another job's, nor a job replayed as a reply.
 *
 * ```json
 * {"v":1,"kind":"job","id":"<uuid>","kid":"<key fingerprint>","iv":"<12 B b64>","ct":"<b64>","tag":"<16 B b64>"}
 * ```
 * The Kafka message key is the job id (`<id>/<attempt>` for retries: it only picks the partition).
 * The IV is random per message (96 bits).
 */

export const HASHING_WIRE_VERSION = 1;
export const DEFAULT_REQUEST_TOPIC = 'users.hashing.requests';
export const DEFAULT_REPLY_TOPIC_PREFIX = 'users.hashing.replies.';
/** Job topics hold encrypted passwords: keep them only briefly. */
export const DEFAULT_JOB_RETENTION_MS = 60_000;

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD_PREFIX = 'users-hashing/v1';

export type EnvelopeKind = 'job' | 'reply';

export interface HashingEnvelope {
  v: typeof HASHING_WIRE_VERSION;
  kind: EnvelopeKind;
  id: string;
  /** Fingerprint of the key that sealed it (not secret): tells a key mismatch from tampering in logs. */
  kid: string;
  iv: string;
  ct: string;
  tag: string;
}

export interface StoredPasswordInput {
  password: string;
  hash: string;
  hashOptions: Record<string, unknown>;
}

interface JobCommon {
  /** Topic the reply goes to. */
  replyTo: string;
  /** Epoch ms after which the caller no longer waits: the hasher drops the job unprocessed. */
  expiresAt: number;
}

export type HashJob = JobCommon & { op: 'hash'; password: string };
export type VerifyJob = JobCommon & { op: 'verify'; password: string; stored: StoredPasswordInput };
export type HashingJob = HashJob | VerifyJob;

/**
 * `busy`: the hasher's queue is full; `timeout`: the task exceeded the hasher's limit;
 * `failed`: the task threw (fixed text, never the input); `invalid`: the job was malformed.
 */
export type HashingReplyError = 'busy' | 'timeout' | 'failed' | 'invalid';

export type HashingReply =
  | { ok: true; op: 'hash'; result: PasswordHash }
  | { ok: true; op: 'verify'; result: boolean }
  | { ok: false; error: HashingReplyError };

/** Base class of every wire-format failure; messages never contain key material or payloads. */
export class HashingWireError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** HASHER_SHARED_KEY is missing or is not 32 bytes of base64/hex. */
export class HashingKeyError extends HashingWireError {}

/** The message is not an envelope of this protocol (wrong JSON, version, kind, sizes). */
export class HashingEnvelopeError extends HashingWireError {}

/** Authentication failed: wrong key, tampered ciphertext/tag/iv, or associated data mismatch. */
export class HashingDecryptError extends HashingWireError {}

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}(=)?$/;

/**
 * Parses the shared key: 32 bytes written as 64 hex digits or as base64 / base64url (43 chars,
 * optionally one `=`). Generate one with `openssl rand -base64 32`.
 */
export function parseSharedKey(raw: string | Buffer | undefined | null, name = 'HASHER_SHARED_KEY'): Buffer {
  if (Buffer.isBuffer(raw)) {
    if (raw.length !== KEY_BYTES) throw new HashingKeyError(`${name} must be exactly ${KEY_BYTES} bytes, got ${raw.length}`);
    return Buffer.from(raw);
  }
  const text = (raw ?? '').trim();
  if (text === '') {
    throw new HashingKeyError(
      `${name} is not set: the gateway and the hasher need the same 32-byte key (base64 or hex), e.g. \`openssl rand -base64 32\``,
    );
  }
  let key: Buffer;
  if (HEX_KEY.test(text)) key = Buffer.from(text, 'hex');
  else if (BASE64_KEY.test(text)) key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  else {
    // Never echo the value: report only its length.
    throw new HashingKeyError(
      `${name} must be 32 bytes written as 64 hex digits or 44 base64 characters; got ${text.length} characters ` +
        '(too short, too long or not base64/hex)',
    );
  }
  if (key.length !== KEY_BYTES) throw new HashingKeyError(`${name} must decode to ${KEY_BYTES} bytes, got ${key.length}`);
  return key;
}

/** A short public fingerprint of the key (first 8 bytes of a domain-separated SHA-256), for logs and envelopes. */
export function keyFingerprint(key: Buffer): string {
  return createHash('sha256').update('users-hashing key fingerprint\0').update(key).digest('hex').slice(0, 16);
}

export function associatedData(kind: EnvelopeKind, id: string): Buffer {
  return Buffer.from(`${AAD_PREFIX}/${kind}/${id}`, 'utf8');
}

/** Encrypts `payload` (JSON) under `key` for `kind`/`id`; returns the message value bytes. */
export function seal(key: Buffer, kind: EnvelopeKind, id: string, payload: unknown): Buffer {
  checkKey(key);
  if (typeof id !== 'string' || id.length === 0) throw new HashingEnvelopeError('job id must be a non-empty string');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(kind, id));
  const ct = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  const envelope: HashingEnvelope = {
    v: HASHING_WIRE_VERSION,
    kind,
    id,
    kid: keyFingerprint(key),
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

/** Parses the clear envelope (no decryption): the job id and key fingerprint are readable without the key. */
export function readEnvelope(value: Buffer | string | null | undefined): HashingEnvelope {
  if (value === null || value === undefined) throw new HashingEnvelopeError('empty message');
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (err) {
    throw new HashingEnvelopeError('message is not JSON', { cause: err });
  }
  const e = parsed as Partial<HashingEnvelope> | null;
  if (!e || typeof e !== 'object') throw new HashingEnvelopeError('message is not an object');
  if (e.v !== HASHING_WIRE_VERSION) throw new HashingEnvelopeError(`unsupported wire version ${String(e.v)}`);
  if (e.kind !== 'job' && e.kind !== 'reply') throw new HashingEnvelopeError('unknown envelope kind');
  for (const field of ['id', 'kid', 'iv', 'ct', 'tag'] as const) {
    if (typeof e[field] !== 'string') throw new HashingEnvelopeError(`envelope field ${field} missing`);
  }
  if (e.id!.length === 0 || e.id!.length > 200) throw new HashingEnvelopeError('bad job id');
  return e as HashingEnvelope;
}

/**
 * Decrypts and authenticates a message of `kind`. Throws HashingDecryptError when the key is wrong,
 * any byte was changed, or the id/kind does not match what it was sealed for.
 */
export function open(key: Buffer, kind: EnvelopeKind, value: Buffer | string | HashingEnvelope): { id: string; payload: unknown } {
  checkKey(key);
  const envelope = typeof value === 'object' && !Buffer.isBuffer(value) ? value : readEnvelope(value);
  if (envelope.kind !== kind) throw new HashingEnvelopeError(`expected a ${kind}, got a ${envelope.kind}`);
  const iv = Buffer.from(envelope.iv, 'base64');
  const tag = Buffer.from(envelope.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new HashingEnvelopeError('bad iv or tag length');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(kind, envelope.id));
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64')), decipher.final()]);
  } catch (err) {
    const hint = envelope.kid !== keyFingerprint(key) ? ' (sealed with a different HASHER_SHARED_KEY)' : '';
    throw new HashingDecryptError(`${kind} ${envelope.id} failed authentication${hint}`, { cause: err });
  }
  try {
    return { id: envelope.id, payload: JSON.parse(plain.toString('utf8')) };
  } catch (err) {
    throw new HashingEnvelopeError('decrypted payload is not JSON', { cause: err });
  }
}

export function sealJob(key: Buffer, id: string, job: HashingJob): Buffer {
  return seal(key, 'job', id, job);
}

export function openJob(key: Buffer, value: Buffer | string | HashingEnvelope): { id: string; job: HashingJob } {
  const { id, payload } = open(key, 'job', value);
  return { id, job: checkJob(payload) };
}

export function sealReply(key: Buffer, id: string, reply: HashingReply): Buffer {
  return seal(key, 'reply', id, reply);
}

export function openReply(key: Buffer, value: Buffer | string | HashingEnvelope): { id: string; reply: HashingReply } {
  const { id, payload } = open(key, 'reply', value);
  return { id, reply: checkReply(payload) };
}

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw new HashingKeyError(`key must be ${KEY_BYTES} bytes`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Authenticated does not mean well-formed (e.g. a peer on another version): check the shape. */
function checkJob(p: unknown): HashingJob {
  if (!isObject(p)) throw new HashingEnvelopeError('job payload is not an object');
  if (typeof p.replyTo !== 'string' || p.replyTo === '') throw new HashingEnvelopeError('job without replyTo');
  if (typeof p.expiresAt !== 'number' || !Number.isFinite(p.expiresAt)) throw new HashingEnvelopeError('job without expiresAt');
  if (typeof p.password !== 'string') throw new HashingEnvelopeError('job without password');
  if (p.op === 'hash') return p as unknown as HashJob;
  if (p.op === 'verify') {
    const s = p.stored;
    if (!isObject(s) || typeof s.password !== 'string' || typeof s.hash !== 'string' || !isObject(s.hashOptions)) {
      throw new HashingEnvelopeError('verify job without stored hash');
    }
    return p as unknown as VerifyJob;
  }
  throw new HashingEnvelopeError('unknown job op');
}

const REPLY_ERRORS: readonly string[] = ['busy', 'timeout', 'failed', 'invalid'];

function checkReply(p: unknown): HashingReply {
  if (!isObject(p)) throw new HashingEnvelopeError('reply payload is not an object');
  if (p.ok === false) {
    if (typeof p.error !== 'string' || !REPLY_ERRORS.includes(p.error)) throw new HashingEnvelopeError('reply with unknown error');
    return p as unknown as HashingReply;
  }
  if (p.ok !== true) throw new HashingEnvelopeError('reply without ok');
  if (p.op === 'verify' && typeof p.result === 'boolean') return p as unknown as HashingReply;
  if (p.op === 'hash') {
    const r = p.result;
    if (isObject(r) && typeof r.password === 'string' && typeof r.hash === 'string' && isObject(r.hashOptions)) {
      return p as unknown as HashingReply;
    }
  }
  throw new HashingEnvelopeError('malformed reply result');
}

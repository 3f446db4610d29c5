import { randomBytes } from 'node:crypto';
import {
  associatedData,
  HashingDecryptError,
  HashingEnvelopeError,
  type HashingJob,
  HashingKeyError,
  keyFingerprint,
  open,
  openJob,
  openReply,
  parseSharedKey,
  readEnvelope,
  seal,
  sealJob,
  sealReply,
} from './hashing-jobs';

const key = randomBytes(32);
const otherKey = randomBytes(32);
const PASSWORD = 'correct horse battery staple';
const job: HashingJob = { op: 'hash', password: PASSWORD, replyTo: 'users.hashing.replies.gw-1', expiresAt: 1_700_000_030_000 };

function mutate(value: Buffer, change: (e: Record<string, string | number>) => void): Buffer {
  const envelope = JSON.parse(value.toString('utf8'));
  change(envelope);
  return Buffer.from(JSON.stringify(envelope));
}

function flipFirstByte(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[0] ^= 0x01;
  return bytes.toString('base64');
}

describe('hashing job wire format', () => {
  describe('parseSharedKey', () => {
    it('accepts 32 bytes as base64, base64url and hex', () => {
      expect(parseSharedKey(key.toString('base64')).equals(key)).toBe(true);
      expect(parseSharedKey(key.toString('base64url')).equals(key)).toBe(true);
      expect(parseSharedKey(key.toString('hex')).equals(key)).toBe(true);
      expect(parseSharedKey(`  ${key.toString('hex')}\n`).equals(key)).toBe(true);
      expect(parseSharedKey(key).equals(key)).toBe(true);
    });

    it('fails fast and clearly when missing, short or not base64/hex, without echoing the value', () => {
      expect(() => parseSharedKey(undefined)).toThrow(HashingKeyError);
      expect(() => parseSharedKey('')).toThrow(/HASHER_SHARED_KEY is not set/);
      const short = randomBytes(16).toString('base64');
      expect(() => parseSharedKey(short)).toThrow(HashingKeyError);
      try {
        parseSharedKey(short);
      } catch (err) {
        expect((err as Error).message).not.toContain(short);
        expect((err as Error).message).toContain('HASHER_SHARED_KEY');
      }
      expect(() => parseSharedKey(randomBytes(31).toString('hex'))).toThrow(HashingKeyError);
      expect(() => parseSharedKey('!'.repeat(44))).toThrow(HashingKeyError);
      expect(() => parseSharedKey(randomBytes(16))).toThrow(/exactly 32 bytes/);
    });
  });

  it('round-trips a hash job and a verify job', () => {
    const value = sealJob(key, 'job-1', job);
    expect(openJob(key, value)).toEqual({ id: 'job-1', job });
    const verify: HashingJob = {
      op: 'verify',
      password: PASSWORD,
      stored: { password: '$argon2id$v=19$m=65536,t=4,p=3$c2FsdA$aGFzaA', hash: 'argon2', hashOptions: { type: 'argon2' } },
      replyTo: 'r',
      expiresAt: 1,
    };
    expect(openJob(key, sealJob(key, 'job-2', verify).toString('utf8')).job).toEqual(verify);
  });

  it('round-trips replies', () => {
    const ok = { ok: true as const, op: 'hash' as const, result: { password: '$argon2id$...', hash: 'argon2', hashOptions: { type: 'argon2' } } };
    expect(openReply(key, sealReply(key, 'job-1', ok))).toEqual({ id: 'job-1', reply: ok });
    expect(openReply(key, sealReply(key, 'job-1', { ok: true, op: 'verify', result: false })).reply).toEqual({ ok: true, op: 'verify', result: false });
    expect(openReply(key, sealReply(key, 'job-1', { ok: false, error: 'busy' })).reply).toEqual({ ok: false, error: 'busy' });
  });

  it('never puts the password in clear on the wire, and uses a fresh IV per message', () => {
    const a = sealJob(key, 'job-1', job);
    const b = sealJob(key, 'job-1', job);
    expect(a.toString('utf8')).not.toContain(PASSWORD);
    expect(a.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(a.toString('latin1')).not.toContain(Buffer.from(PASSWORD).toString('base64').slice(0, 12));
    expect(readEnvelope(a).iv).not.toBe(readEnvelope(b).iv);
    expect(readEnvelope(a).ct).not.toBe(readEnvelope(b).ct);
  });

  it('exposes only the version, kind, id and key fingerprint in clear', () => {
    const envelope = readEnvelope(sealJob(key, 'job-1', job));
    expect(Object.keys(envelope).sort()).toEqual(['ct', 'id', 'iv', 'kid', 'kind', 'tag', 'v']);
    expect(envelope).toMatchObject({ v: 1, kind: 'job', id: 'job-1', kid: keyFingerprint(key) });
    expect(keyFingerprint(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyFingerprint(key)).not.toBe(keyFingerprint(otherKey));
  });

  it('fails with the wrong key, and says the key differs', () => {
    const value = sealJob(key, 'job-1', job);
    expect(() => openJob(otherKey, value)).toThrow(HashingDecryptError);
    expect(() => openJob(otherKey, value)).toThrow(/different HASHER_SHARED_KEY/);
  });

  it('fails when the ciphertext, tag or iv was tampered with', () => {
    const value = sealJob(key, 'job-1', job);
    for (const field of ['ct', 'tag', 'iv'] as const) {
      const tampered = mutate(value, (e) => (e[field] = flipFirstByte(String(e[field]))));
      expect(() => openJob(key, tampered)).toThrow(HashingDecryptError);
    }
  });

  it('fails when the job id (associated data) does not match: replies cannot be swapped', () => {
    const replyForA = sealReply(key, 'job-A', { ok: true, op: 'verify', result: true });
    const relabelled = mutate(replyForA, (e) => (e.id = 'job-B'));
    expect(() => openReply(key, relabelled)).toThrow(HashingDecryptError);
    expect(associatedData('reply', 'job-A').toString()).toBe('users-hashing/v1/reply/job-A');
  });

  it('fails when a job is presented as a reply (direction is in the associated data)', () => {
    const value = seal(key, 'job', 'job-1', { ok: true, op: 'verify', result: true });
    const relabelled = mutate(value, (e) => (e.kind = 'reply'));
    expect(() => open(key, 'reply', relabelled)).toThrow(HashingDecryptError);
    expect(() => open(key, 'reply', value)).toThrow(HashingEnvelopeError);
  });

  it('rejects malformed envelopes and authenticated payloads of the wrong shape', () => {
    expect(() => readEnvelope(null)).toThrow(HashingEnvelopeError);
    expect(() => readEnvelope(Buffer.from('not json'))).toThrow(HashingEnvelopeError);
    expect(() => readEnvelope(Buffer.from('{"v":2}'))).toThrow(/version/);
    expect(() => openJob(key, seal(key, 'job', 'x', { op: 'mine', password: 'p', replyTo: 'r', expiresAt: 1 }))).toThrow(HashingEnvelopeError);
    expect(() => openReply(key, seal(key, 'reply', 'x', { ok: true, op: 'hash', result: 'nope' }))).toThrow(HashingEnvelopeError);
    expect(() => openReply(key, seal(key, 'reply', 'x', { ok: false, error: 'weird' }))).toThrow(HashingEnvelopeError);
  });
});

import { canonicalJson, IdempotencyKey, isValidIdempotencyKey } from './idempotency-key';

describe('Idempotency-Key header', () => {
  it('is 1 to 255 visible ASCII characters', () => {
    expect(isValidIdempotencyKey('a')).toBe(true);
    expect(isValidIdempotencyKey('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(true);
    expect(isValidIdempotencyKey('!~"#{}')).toBe(true);
    expect(isValidIdempotencyKey('k'.repeat(255))).toBe(true);
    for (const bad of ['', 'k'.repeat(256), 'has space', 'tab\t', 'new\nline', 'é', '\u0000']) expect([bad, isValidIdempotencyKey(bad)]).toEqual([bad, false]);
  });
});

describe('IdempotencyKey', () => {
  const key = new IdempotencyKey('p1', 'key-1');

  it('finds its record by an id that is neither the key nor shared with another project or key', () => {
    expect(key.record.projectId).toBe('p1');
    expect(key.record.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(key.record.keyId).not.toContain('key-1');
    expect(new IdempotencyKey('p1', 'key-1').record.keyId).toBe(key.record.keyId);
    expect(new IdempotencyKey('p2', 'key-1').record.keyId).not.toBe(key.record.keyId);
    expect(new IdempotencyKey('p1', 'key-2').record.keyId).not.toBe(key.record.keyId);
  });

  it('fingerprints the same parts the same, and any difference differently', () => {
    const parts = ['POST', '/v1/users', '{}', '{}', '{"password":"hunter22hunter"}', '', '', 'key:k1'];
    expect(key.fingerprint(parts)).toBe(new IdempotencyKey('p1', 'key-1').fingerprint(parts));
    expect(key.fingerprint(parts)).not.toBe(key.fingerprint([...parts.slice(0, 4), '{"password":"hunter22hunter2"}', ...parts.slice(5)]));
    expect(key.fingerprint(['a', 'bc'])).not.toBe(key.fingerprint(['ab', 'c']));
    // Keyed by the idempotency key: the store cannot be searched for a guessed password.
    expect(new IdempotencyKey('p1', 'key-2').fingerprint(parts)).not.toBe(key.fingerprint(parts));
  });

  it('seals an answer so that only the same key in the same project opens it, and hides its content', () => {
    const answer = { status: 201, headers: { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] }, body: Buffer.from('{"secret":"s3cr3t"}').toString('base64') };
    const sealed = key.seal(answer);
    expect(sealed.includes(Buffer.from('s3cr3t'))).toBe(false);
    expect(sealed.includes(Buffer.from(answer.body))).toBe(false);
    expect(key.open(sealed)).toEqual(answer);
    expect(new IdempotencyKey('p1', 'key-1').open(sealed)).toEqual(answer);
    expect(() => new IdempotencyKey('p1', 'key-2').open(sealed)).toThrow();
    expect(() => new IdempotencyKey('p2', 'key-1').open(sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => key.open(tampered)).toThrow();
  });
});

describe('canonicalJson', () => {
  it('orders object keys at every depth, keeps array order and values', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
  });
});

import { EMAIL_REFERENCE_REGEX, Email, isEmail } from './rules';

/** A valid host name of exactly n characters: labels of ≤ 60 'd's, then ".com". */
function domainOfLength(n: number): string {
  const rest = n - 4;
  const k = Math.ceil((rest + 1) / 61);
  const letters = rest - (k - 1);
  const labels: string[] = [];
  for (let i = 0; i < k; i++) labels.push('d'.repeat(Math.floor(letters / k) + (i < letters % k ? 1 : 0)));
  const d = labels.join('.') + '.com';
  if (d.length !== n) throw new Error('domainOfLength');
  return d;
}

describe('Email', () => {
  const valid = [
    'a@b.c',
    'a.b@c.d1',
    'a+b@c.com',
    "a'b@c.com",
    'A@C.COM',
    'a@[1.2.3.4]',
    'a@[IPv6:::1]',
    'a@xn--bcher-kva.ch',
    'x'.repeat(64) + '@c.com',
    'lionel.messi@psg.fr',
    'Lionel.Messi@PSG.fr',
    'cristiano.ronaldo@manchester-united.co.uk',
    'a`b@c.com',
    '"a"@c.com',
    '"a\\ b"@c.com',
    'a@a-b.com',
    'a@a--b.com',
    'a@[IPv6:1:2:3:4:5:6:7:8]',
    'a@[IPv6:1:2:3:4:5:6:1.2.3.4]',
  ];
  const invalid = [
    'a@b',
    'a@localhost',
    'a@1.2.3.4',
    '"a b"@c.com',
    'a..b@c.com',
    '.a@c.com',
    'a.@c.com',
    'a@c..com',
    'a@-c.com',
    'a@c-.com',
    'a@c.com.',
    'a@c.1com',
    'é@c.com',
    'a@é.com',
    'x'.repeat(65) + '@c.com',
    '',
    'not-an-email',
    'a@b.c\n',
    'a b@c.com',
    '@c.com',
    'a@',
    'a@[1.2.3.256]',
    'a@' + 'b'.repeat(64) + '.com',
    'a@' + 'b.'.repeat(150) + 'com',
    123,
    null,
    undefined,
    ['a@b.c'],
  ];

  it.each(valid)('accepts %j', (v) => {
    expect(isEmail(v)).toBe(true);
    expect(Email.check(v)).toBe(true);
    expect(EMAIL_REFERENCE_REGEX.test(v)).toBe(true);
  });

  it.each(invalid)('rejects %j', (v) => {
    expect(Email.check(v)).toBe(false);
  });

  it('enforces the 320-byte limit', () => {
    // Quoted words with escapes are long in bytes but short in regex units (253 here, under
    // the 255 limit), so only the byte limit rejects this. (The published regex needs minutes
    // on it — exponential backtracking — so it is not consulted.)
    const local = Array(32).fill('"\\a"').join('.');
    const s = `${local}@${domainOfLength(189)}`;
    expect(Buffer.byteLength(s)).toBeGreaterThan(320);
    expect(isEmail(s)).toBe(false);
    const shorter = `${Array(16).fill('"\\a"').join('.')}@${domainOfLength(189)}`;
    expect(Buffer.byteLength(shorter)).toBeLessThanOrEqual(320);
    expect(isEmail(shorter)).toBe(true);
  });

  it('counts at most 254 characters excluding quotes', () => {
    // 64-char local part + 189-char domain = 254 units: fine; one more: too long.
    const domain = domainOfLength;
    const ok = 'l'.repeat(64) + '@' + domain(189);
    const tooLong = 'l'.repeat(64) + '@' + domain(190);
    expect(ok.length).toBe(254);
    expect(tooLong.length).toBe(255);
    expect(isEmail(ok)).toBe(EMAIL_REFERENCE_REGEX.test(ok));
    expect(isEmail(ok)).toBe(true);
    expect(isEmail(tooLong)).toBe(false);
    expect(EMAIL_REFERENCE_REGEX.test(tooLong)).toBe(false);
  });

  it('quote characters do not count toward the local-part limit', () => {
    const s = '"' + 'a'.repeat(64) + '"@c.com';
    expect(isEmail(s)).toBe(EMAIL_REFERENCE_REGEX.test(s));
    const t = '"' + 'a'.repeat(65) + '"@c.com';
    expect(isEmail(t)).toBe(EMAIL_REFERENCE_REGEX.test(t));
    expect(isEmail(t)).toBe(false);
  });

  it('agrees with the published regex on random strings', () => {
    // Seeded LCG so failures are reproducible.
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = ['a', 'b', 'x', '.', '@', '"', '\\', '-', ' ', '[', ']', ':', '1', 'c', 'o', 'm', 'n', '+'];
    const pieces = ['a@b.c', 'xn--', '@c.com', '"a"', '\\"', '[1.2.3.4]', 'IPv6:', '::1', 'a'.repeat(30)];
    let compared = 0;
    for (let i = 0; i < 6000; i++) {
      let s = '';
      const len = 1 + rand(40);
      while (s.length < len) s += rand(4) === 0 ? pieces[rand(pieces.length)] : alphabet[rand(alphabet.length)];
      // Keep quote counts low so the reference regex itself stays fast.
      if ((s.match(/"/g) ?? []).length > 6) continue;
      expect([s, isEmail(s)]).toEqual([s, EMAIL_REFERENCE_REGEX.test(s) && Buffer.byteLength(s) <= 320]);
      compared++;
    }
    expect(compared).toBeGreaterThan(3000);
  });

  it('agrees with the published regex around the 65-unit and 255-unit limits', () => {
    const cases: string[] = [];
    for (const n of [63, 64, 65, 66]) {
      cases.push('a'.repeat(n) + '@c.com');
      cases.push('"' + 'a'.repeat(n) + '"@c.com');
      cases.push('"' + '\\a'.repeat(n) + '"@c.com');
      cases.push('a'.repeat(n) + '@' + 'a'.repeat(n) + '@c.com');
    }
    for (const n of [250, 253, 254, 255, 256]) {
      const local = 'l'.repeat(60);
      cases.push(local + '@' + domainOfLength(n - local.length - 1));
    }
    for (const s of cases) expect([s, isEmail(s)]).toEqual([s, EMAIL_REFERENCE_REGEX.test(s)]);
  });

  it('stays fast on inputs that make the published regex backtrack exponentially', () => {
    const hostile = ['"a'.repeat(150) + '@x.com', 'a"'.repeat(150) + 'x', '"'.repeat(300), '\\"'.repeat(150)];
    const start = Date.now();
    for (const s of hostile) expect(isEmail(s)).toBe(false);
    // Valid, yet exponential for the published regex (12 words take seconds there).
    expect(isEmail(Array(24).fill('"\\a"').join('.') + '@c.com')).toBe(true);
    expect(Date.now() - start).toBeLessThan(500);
  });
});

import { DEFAULT_SHA_VERSION, SHA_VERSIONS, verify } from './sha';

// Spec §3.4: digests of "abcdefgh".
const TABLE: Array<[string, number, string]> = [
  ['sha1', 40, '425af12a0743502b322e93a015bcf868e324d56a'],
  ['sha224', 56, '17eb7d40f0356f8598e89eafad5f6c759b1f822975d9c9b737c8a517'],
  ['sha256', 64, '9c56cc51b374c3ba189210d5b6d4bf57790d351c96c47c02190ecf1e430635ab'],
  ['sha384', 96, '9000cd7cada59d1d2eb82912f7f24e5e69cc5517f68283b005fa27c285b61e05edf1ad1a8a9bded6fd29eb87d75ad806'],
  ['sha512/224', 56, '792e25e0ae286d123a38950007e037d3122e76c4ee201668c385edab'],
  ['sha512/256', 64, 'a29b9645d2a02a8b582888d044199787220e316bf2e89d1422d3df26bf545bbe'],
  ['sha512', 128, 'a3a8c81bc97c2560010d7389bc88aac974a104e0e2381220c6e084c4dccd1d2d17d4f86db31c2a851dc80e6681d74733c55dcd03dd96f6062cdda12a291ae6ce'],
  ['sha3-224', 56, '48bf2e8640cffe77b67c6182a6a47f8b5af73f60bd204ef348371d03'],
  ['sha3-256', 64, '3e2020725a38a48eb3bbf75767f03a22c6b3f41f459c831309b06433ec649779'],
  ['sha3-384', 96, 'f4d9fc5e9f44eb87fe968fc8e4e4691eb1dab6d821fb77550b527f71ccfb1ba043851bb054f281364c44d8541904db5a'],
  ['sha3-512', 128, 'c9f25eee75ab4cf9a8cfd44f4992b282079b64d94647edbd88e818e44f701edeb450818f7272cba7a20205b3671ce1991ce9a6d2df8dbad6e0bb3e50493d7fa7'],
];

describe('sha verify', () => {
  it('covers exactly the versions of the table', () => {
    expect(Object.keys(SHA_VERSIONS).sort()).toEqual(TABLE.map(([v]) => v).sort());
  });

  it.each(TABLE)('%s', (version, hexLength, digest) => {
    expect(digest).toHaveLength(hexLength);
    expect(verify('abcdefgh', digest, { version, type: 'sha' })).toBe(true);
    expect(verify('abcdefgh', digest, { version: version.toUpperCase(), type: 'sha' })).toBe(true);
    expect(verify('abcdefgi', digest, { version, type: 'sha' })).toBe(false);
    expect(verify('abcdefgh', digest.toUpperCase(), { version, type: 'sha' })).toBe(false);
  });

  it('defaults to sha3-512 whatever the digest length', () => {
    const byVersion = new Map(TABLE.map(([v, , d]) => [v, d]));
    expect(DEFAULT_SHA_VERSION).toBe('sha3-512');
    expect(verify('abcdefgh', byVersion.get('sha3-512')!, { type: 'sha' })).toBe(true);
    expect(verify('abcdefgh', byVersion.get('sha1')!, { type: 'sha' })).toBe(false);
    expect(verify('abcdefgh', byVersion.get('sha512')!, { type: 'sha' })).toBe(false);
  });

  it('is false for unknown versions', () => {
    const sha1 = TABLE[0][2];
    for (const version of ['md5', 'sha512-224', 'sha-1', 'whirlpool', 42, '']) {
      expect(verify('abcdefgh', sha1, { version, type: 'sha' })).toBe(false);
    }
  });
});

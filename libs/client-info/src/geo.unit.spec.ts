import { countryCodeOf, countryNameOf, UNKNOWN_COUNTRY_CODE, UNKNOWN_COUNTRY_NAME } from './geo';

describe('countryCodeOf', () => {
  it.each([
    ['8.8.8.8', 'us'],
    ['2001:4860:4860::8888', 'us'],
    ['::ffff:8.8.8.8', 'us'], // IPv4-mapped IPv6, as Node reports IPv4 peers on dual-stack sockets
    [' 8.8.8.8 ', 'us'],
  ])('%s → %s', (ip, code) => {
    expect(countryCodeOf(ip)).toBe(code);
  });

  it.each([
    ['IPv4 loopback', '127.0.0.1'],
    ['IPv6 loopback', '::1'],
    ['private 10/8', '10.0.0.1'],
    ['private 192.168/16', '192.168.1.1'],
    ['link-local with zone id', 'fe80::1%eth0'],
    ['garbage', 'garbage'],
    ['out-of-range octet', '999.1.1.1'],
    ['empty', ''],
    ['null', null],
    ['undefined', undefined],
  ])('%s → "--"', (_label, ip) => {
    expect(countryCodeOf(ip)).toBe(UNKNOWN_COUNTRY_CODE);
  });

  it('always returns a lower-case alpha-2 code or "--"', () => {
    for (const ip of ['8.8.8.8', '1.0.16.1', '81.2.69.142', '203.0.113.9', '::1']) {
      expect(countryCodeOf(ip)).toMatch(/^(?:[a-z]{2}|--)$/);
    }
  });
});

describe('countryNameOf', () => {
  it.each([
    ['us', 'United States'],
    ['US', 'United States'],
    ['gb', 'United Kingdom'],
    ['de', 'Germany'],
    ['fr', 'France'],
    ['jp', 'Japan'],
    ['ru', 'Russia'],
    ['cn', 'China'],
    ['cz', 'Czechia'],
    ['ir', 'Iran'],
    ['kr', 'South Korea'],
    ['nl', 'Netherlands'],
    ['gm', 'Gambia'],
    ['cg', 'Republic of the Congo'],
    ['hk', 'Hong Kong'],
  ])('%s → %s', (code, name) => {
    expect(countryNameOf(code)).toBe(name);
  });

  it.each([['--'], [''], ['zz'], ['x'], ['usa'], [null], [undefined]])('%s → Unknown', (code) => {
    expect(countryNameOf(code)).toBe(UNKNOWN_COUNTRY_NAME);
  });

  it('round-trips with countryCodeOf', () => {
    expect(countryNameOf(countryCodeOf('8.8.8.8'))).toBe('United States');
    expect(countryNameOf(countryCodeOf('127.0.0.1'))).toBe('Unknown');
  });
});

import { CHROME_MAC_CLIENT } from '../test';
import { CLIENT_DETAIL_KEYS, clientDetails, countryNameOf } from './index';

const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36';

describe('clientDetails', () => {
  it('combines the parsed user agent with the GeoIP country code (13 stored fields)', () => {
    const info = clientDetails(CHROME_MAC, '8.8.8.8');
    expect(Object.keys(info)).toEqual([...CLIENT_DETAIL_KEYS, 'countryCode']);
    expect(info).toEqual({
      ...CHROME_MAC_CLIENT,
      countryCode: 'us',
    });
    expect(info).not.toHaveProperty('countryName');
    expect(countryNameOf(info.countryCode)).toBe('United States');
  });

  it('no user agent, local IP → empty client fields and "--"', () => {
    const info = clientDetails(undefined, '127.0.0.1');
    expect(info.countryCode).toBe('--');
    for (const key of CLIENT_DETAIL_KEYS) expect(info[key]).toBe('');
  });

  it('curl from an IPv6 loopback', () => {
    expect(clientDetails('curl/8.1.2', '::1')).toMatchObject({
      clientType: 'library',
      clientName: 'curl',
      clientVersion: '8.1',
      countryCode: '--',
    });
  });
});

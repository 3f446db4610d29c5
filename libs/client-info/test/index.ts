/** The user agent of the spec's Session example, and what the parser makes of it (Matomo codes). */
export const CHROME_MAC_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36';

export const CHROME_MAC_CLIENT = {
  osCode: 'MAC',
  osName: 'Mac',
  osVersion: '10.15',
  clientType: 'browser',
  clientCode: 'CH',
  clientName: 'Chrome',
  clientVersion: '112.0',
  clientEngine: 'Blink',
  clientEngineVersion: '112.0.0.0',
  deviceName: 'desktop',
  deviceBrand: 'Apple',
  deviceModel: '',
} as const;

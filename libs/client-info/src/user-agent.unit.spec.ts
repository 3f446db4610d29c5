import {
  CLIENT_DETAIL_KEYS,
  ClientDetails,
  MAX_PARSED_USER_AGENT_LENGTH,
  USER_AGENT_CACHE_SIZE,
  clearUserAgentCache,
  engineVersionOf,
  parseUserAgent,
  userAgentCacheSize,
  warmUpUserAgentParser,
  warmUpUserAgentParserInBackground,
} from './user-agent';

const EMPTY: ClientDetails = {
  osCode: '',
  osName: '',
  osVersion: '',
  clientType: '',
  clientCode: '',
  clientName: '',
  clientVersion: '',
  clientEngine: '',
  clientEngineVersion: '',
  deviceName: '',
  deviceBrand: '',
  deviceModel: '',
};

const UA = {
  chromeMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36',
  chromeMobileIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 16_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/112.0.5615.167 Mobile/15E148 Safari/604.1',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/112.0',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.4 Safari/605.1.15',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36 Edg/112.0.1722.58',
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile Safari/537.36',
  safariIpad:
    'Mozilla/5.0 (iPad; CPU OS 16_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.4 Mobile/15E148 Safari/604.1',
  samsungTv:
    'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/2.2 Chrome/63.0.3239.84 TV Safari/537.36',
  /** Newer node-appwrite SDKs send this. */
  appwriteNodeSdk: 'AppwriteNodeJSSDK/9.0.0 (linux; x64)',
  /** node-appwrite 9.0.0 itself sets no user-agent header; axios then sends its default. */
  axios: 'axios/1.6.0',
  appwriteCli: 'AppwriteCLI/2.0.2 (Linux 5.15.0-76-generic; x64)',
  curl: 'curl/7.88.1',
  nodeFetch: 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  vlc: 'VLC/3.0.18 LibVLC/3.0.18',
  thunderbird: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:102.0) Gecko/20100101 Thunderbird/102.10.0',
};

beforeEach(() => clearUserAgentCache());

describe('parseUserAgent — browsers', () => {
  it('Chrome on Mac (the spec Session example)', () => {
    expect(parseUserAgent(UA.chromeMac)).toEqual({
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
    });
  });

  it('Chrome Mobile iOS on iPhone (Matomo code CI; CM is Chrome Mobile on Android)', () => {
    expect(parseUserAgent(UA.chromeMobileIos)).toEqual({
      osCode: 'IOS',
      osName: 'iOS',
      osVersion: '16.4',
      clientType: 'browser',
      clientCode: 'CI',
      clientName: 'Chrome Mobile iOS',
      clientVersion: '112.0',
      clientEngine: 'WebKit',
      clientEngineVersion: '605.1.15',
      deviceName: 'smartphone',
      deviceBrand: 'Apple',
      deviceModel: 'iPhone',
    });
  });

  it('Firefox on Linux (Gecko version from rv:)', () => {
    expect(parseUserAgent(UA.firefoxLinux)).toEqual({
      osCode: 'LIN',
      osName: 'GNU/Linux',
      osVersion: '',
      clientType: 'browser',
      clientCode: 'FF',
      clientName: 'Firefox',
      clientVersion: '112.0',
      clientEngine: 'Gecko',
      clientEngineVersion: '109.0',
      deviceName: 'desktop',
      deviceBrand: '',
      deviceModel: '',
    });
  });

  it('Safari on Mac', () => {
    expect(parseUserAgent(UA.safariMac)).toMatchObject({
      osCode: 'MAC',
      clientCode: 'SF',
      clientName: 'Safari',
      clientVersion: '16.4',
      clientEngine: 'WebKit',
      clientEngineVersion: '605.1.15',
      deviceName: 'desktop',
      deviceBrand: 'Apple',
    });
  });

  it('Edge on Windows (Matomo code PS)', () => {
    expect(parseUserAgent(UA.edgeWindows)).toMatchObject({
      osCode: 'WIN',
      osName: 'Windows',
      clientCode: 'PS',
      clientName: 'Microsoft Edge',
      clientVersion: '112.0',
      clientEngine: 'Blink',
      clientEngineVersion: '112.0.0.0',
      deviceName: 'desktop',
    });
  });

  it('Chrome Mobile on a Samsung Android phone', () => {
    expect(parseUserAgent(UA.chromeAndroid)).toMatchObject({
      osCode: 'AND',
      osName: 'Android',
      clientCode: 'CM',
      clientName: 'Chrome Mobile',
      clientEngine: 'Blink',
      clientEngineVersion: '112.0.0.0',
      deviceName: 'smartphone',
      deviceBrand: 'Samsung',
      deviceModel: 'SM-S918B',
    });
  });

  it('Mobile Safari on iPad is a tablet', () => {
    expect(parseUserAgent(UA.safariIpad)).toMatchObject({
      osCode: 'IOS',
      clientCode: 'MF',
      clientName: 'Mobile Safari',
      deviceName: 'tablet',
      deviceBrand: 'Apple',
      deviceModel: 'iPad',
    });
  });

  it("uses Matomo's device type names (television → tv)", () => {
    expect(parseUserAgent(UA.samsungTv)).toMatchObject({
      osCode: 'TIZ',
      clientCode: 'SB',
      clientName: 'Samsung Browser',
      deviceName: 'tv',
      deviceBrand: 'Samsung',
    });
  });
});

describe('parseUserAgent — SDKs, tools and libraries', () => {
  it('AppwriteNodeJSSDK UA: device-detector only recognises the OS (Linux desktop), no client', () => {
    expect(parseUserAgent(UA.appwriteNodeSdk)).toEqual({
      ...EMPTY,
      osCode: 'LIN',
      osName: 'GNU/Linux',
      deviceName: 'desktop',
    });
  });

  it("axios' default UA (what node-appwrite 9.0.0 actually sends) is not recognised at all", () => {
    expect(parseUserAgent(UA.axios)).toEqual(EMPTY);
  });

  it("Appwrite CLI: Appwrite's own special case (type desktop, code cli, raw version)", () => {
    expect(parseUserAgent(UA.appwriteCli)).toEqual({
      ...EMPTY,
      osCode: 'LIN',
      osName: 'GNU/Linux',
      clientType: 'desktop',
      clientCode: 'cli',
      clientName: 'Appwrite CLI',
      clientVersion: '2.0.2',
      deviceName: 'desktop',
    });
  });

  it('Appwrite CLI special case takes the version from the first token only, like the PHP explode()', () => {
    expect(parseUserAgent('Wrapper AppwriteCLI/3.1.0')).toMatchObject({
      clientType: 'desktop',
      clientCode: 'cli',
      clientName: 'Appwrite CLI',
      clientVersion: '',
    });
  });

  it('curl is a library without a short code', () => {
    expect(parseUserAgent(UA.curl)).toEqual({
      ...EMPTY,
      clientType: 'library',
      clientName: 'curl',
      clientVersion: '7.88',
    });
  });

  it('Node Fetch (the spec Log example) is a library without a short code', () => {
    expect(parseUserAgent(UA.nodeFetch)).toEqual({
      ...EMPTY,
      clientType: 'library',
      clientName: 'Node Fetch',
      clientVersion: '1.0',
    });
  });

  it("maps client types to Matomo's parser names (media player → mediaplayer, PIM → pim)", () => {
    expect(parseUserAgent(UA.vlc)).toMatchObject({ clientType: 'mediaplayer', clientName: 'VLC', clientCode: '' });
    expect(parseUserAgent(UA.thunderbird)).toMatchObject({ clientType: 'pim', clientName: 'Thunderbird', clientCode: '' });
  });
});

describe('parseUserAgent — missing or odd input', () => {
  it.each([
    ['empty string', ''],
    ['null', null],
    ['undefined', undefined],
    ['the UNKNOWN placeholder Appwrite substitutes', 'UNKNOWN'],
    ['whitespace', '   '],
    ['gibberish', 'x'],
  ])('%s → every field empty (never the literal "UNKNOWN")', (_label, ua) => {
    expect(parseUserAgent(ua)).toEqual(EMPTY);
  });

  it('returns exactly the 12 Appwrite keys in model order', () => {
    expect(Object.keys(parseUserAgent(UA.chromeMac))).toEqual([...CLIENT_DETAIL_KEYS]);
    expect(Object.keys(parseUserAgent(''))).toEqual([...CLIENT_DETAIL_KEYS]);
    for (const v of Object.values(parseUserAgent(UA.chromeMac))) expect(typeof v).toBe('string');
  });

  it('only parses the first MAX_PARSED_USER_AGENT_LENGTH characters', () => {
    const padded = UA.chromeMac + ' ' + 'Build/ '.repeat(3000);
    const started = Date.now();
    const parsed = parseUserAgent(padded);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(parsed).toMatchObject({ clientName: 'Chrome', osCode: 'MAC' });
    expect(padded.length).toBeGreaterThan(MAX_PARSED_USER_AGENT_LENGTH);
  });
});

describe('parseUserAgent — caching', () => {
  it('returns equal but independent objects (callers cannot corrupt the cache)', () => {
    const a = parseUserAgent(UA.chromeMac);
    a.clientName = 'mutated';
    const b = parseUserAgent(UA.chromeMac);
    expect(b.clientName).toBe('Chrome');
    expect(b).not.toBe(a);
  });

  it('caches each distinct user agent once', () => {
    parseUserAgent(UA.chromeMac);
    parseUserAgent(UA.chromeMac);
    parseUserAgent(UA.firefoxLinux);
    parseUserAgent(null);
    parseUserAgent('');
    expect(userAgentCacheSize()).toBe(3); // null and '' share the UNKNOWN entry
  });

  it('warm-up loads the parser without filling the cache', () => {
    warmUpUserAgentParser();
    expect(userAgentCacheSize()).toBe(0);
  });

  it('background warm-up runs in short steps, other work running between them', async () => {
    const turns = await turnsDuring(() => warmUpUserAgentParserInBackground());
    // ~1,900 top-level regexes, twice, 20 a step: far fewer turns means the port's regex lists
    // were not found (device-detector-js changed its layout) and the warm-up is coarse again.
    expect(turns).toBeGreaterThan(150);
    expect(userAgentCacheSize()).toBe(0);
    expect(parseUserAgent(UA.firefoxLinux).clientName).toBe('Firefox');
  });

  it('an aborted background warm-up stops at its next step', async () => {
    const stop = new AbortController();
    stop.abort();
    const turns = await turnsDuring(() => warmUpUserAgentParserInBackground(stop.signal));
    expect(turns).toBeLessThan(3);
  });

  it('stays bounded', () => {
    for (let i = 0; i < USER_AGENT_CACHE_SIZE + 50; i++) parseUserAgent(`curl/7.${i}.0`);
    expect(userAgentCacheSize()).toBe(USER_AGENT_CACHE_SIZE);
  });
});

describe('engineVersionOf (port of Matomo Engine\\Version)', () => {
  it.each([
    [UA.chromeMac, 'Blink', '112.0.0.0'],
    [UA.chromeMobileIos, 'WebKit', '605.1.15'],
    [UA.firefoxLinux, 'Gecko', '109.0'],
    ['Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)', 'Trident', '4.0'],
    [UA.chromeMac, '', ''],
    ['Mozilla/5.0', 'WebKit', ''],
  ])('%s / %s → %s', (ua, engine, expected) => {
    expect(engineVersionOf(ua, engine)).toBe(expected);
  });
});

/** How many event-loop turns other work got while `work` ran. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  done = true;
  return turns;
}

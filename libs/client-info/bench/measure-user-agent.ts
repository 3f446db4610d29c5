/**
 * Parse-time measurement for parseUserAgent / countryCodeOf. Run in a fresh process, e.g.
 *   npm run build && node dist/libs/client-info/bench/measure-user-agent.js
 *
 *  - first:  very first parse of that UA in the process (includes lazy module load for the 1st UA
 *            and first-use regex compilation along that UA's path through the regex lists)
 *  - miss:   detector warm, result not cached (steady-state cost of an unseen UA)
 *  - hit:    served from the LRU cache
 * Pass --warm to call warmUpUserAgentParser() first (and print its duration).
 */
import { countryCodeOf, countryNameOf } from '@lib/client-info';
import { clearUserAgentCache, parseUserAgent, warmUpUserAgentParser } from '@lib/client-info';

const UAS: Record<string, string> = {
  chromeMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36',
  chromeMobileIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 16_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/112.0.5615.167 Mobile/15E148 Safari/604.1',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/112.0',
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile Safari/537.36',
  appwriteNodeSdk: 'AppwriteNodeJSSDK/9.0.0 (linux; x64)',
  axios: 'axios/1.6.0',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36 Edg/112.0.1722.58',
  safariIpad:
    'Mozilla/5.0 (iPad; CPU OS 16_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.4 Mobile/15E148 Safari/604.1',
  curl: 'curl/7.88.1',
  empty: '',
};

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function main(): void {
  if (process.argv.includes('--warm')) {
    const t = process.hrtime.bigint();
    warmUpUserAgentParser();
    console.log(`warmUpUserAgentParser: ${ms(t).toFixed(1)} ms`);
  }
  const rows: Record<string, { firstMs: string; missMs: string; hitUs: string }> = {};
  const first: Record<string, number> = {};
  for (const [name, ua] of Object.entries(UAS)) {
    const t = process.hrtime.bigint();
    parseUserAgent(ua);
    first[name] = ms(t);
  }
  for (const [name, ua] of Object.entries(UAS)) {
    const missRuns = 50;
    let missTotal = 0;
    for (let i = 0; i < missRuns; i++) {
      clearUserAgentCache();
      const t = process.hrtime.bigint();
      parseUserAgent(ua);
      missTotal += ms(t);
    }
    const hitRuns = 100_000;
    parseUserAgent(ua);
    const t = process.hrtime.bigint();
    for (let i = 0; i < hitRuns; i++) parseUserAgent(ua);
    const hitUs = (ms(t) * 1000) / hitRuns;
    rows[name] = {
      firstMs: (first[name] ?? 0).toFixed(2),
      missMs: (missTotal / missRuns).toFixed(3),
      hitUs: hitUs.toFixed(3),
    };
  }
  console.table(rows);

  let t = process.hrtime.bigint();
  countryCodeOf('8.8.8.8');
  const geoFirst = ms(t);
  t = process.hrtime.bigint();
  countryNameOf('us');
  const namesFirst = ms(t);
  const ips = ['8.8.8.8', '2001:4860:4860::8888', '127.0.0.1', '81.2.69.142'];
  const runs = 100_000;
  t = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) countryCodeOf(ips[i % ips.length] as string);
  const perLookupUs = (ms(t) * 1000) / runs;
  console.table({
    geo: { firstCallMs: geoFirst.toFixed(2), perCallUs: perLookupUs.toFixed(3) },
    countryNames: { firstCallMs: namesFirst.toFixed(2), perCallUs: '-' },
  });
}

main();

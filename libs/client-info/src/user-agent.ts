/**
 * User-agent → Appwrite client fields.
 *
 * Mirrors Appwrite 1.3's `Appwrite\Detector\Detector` (src/Appwrite/Detector/Detector.php),
 * which wraps Matomo's PHP device-detector with bot detection skipped:
 *
 *   osCode              = os.short_name            osName   = os.name     osVersion = os.version
 *   clientType          = client.type              clientCode = client.short_name (browsers only)
 *   clientName          = client.name              clientVersion = client.version
 *   clientEngine        = client.engine            clientEngineVersion = client.engine_version
 *   deviceName          = getDeviceName() (device type)   deviceBrand = getBrandName()   deviceModel = getModel()
 *   a UA containing "AppwriteCLI" → client {type: desktop, short_name: cli, name: Appwrite CLI, version: <first token after '/'>}
 *
 * and the callers' `$request->getUserAgent('UNKNOWN')` / `!empty($ua) ? $ua : 'UNKNOWN'` default,
 * which device-detector parses to nothing (so every field is '' — never the literal "UNKNOWN").
 *
 * device-detector-js (a JS port of Matomo's detector) yields names but not Matomo's short codes and
 * spells a few values differently; this module fills the gaps from the port's own code tables and
 * Matomo's PHP behaviour (see the comments on each step).
 */
import type DeviceDetector from 'device-detector-js';
import { LruCache } from './lru';

export interface ClientDetails {
  osCode: string;
  osName: string;
  osVersion: string;
  clientType: string;
  clientCode: string;
  clientName: string;
  clientVersion: string;
  clientEngine: string;
  clientEngineVersion: string;
  deviceName: string;
  deviceBrand: string;
  deviceModel: string;
}

/** Keys of {@link ClientDetails} in Appwrite's Session/Log model order. */
export const CLIENT_DETAIL_KEYS: readonly (keyof ClientDetails)[] = Object.freeze([
  'osCode',
  'osName',
  'osVersion',
  'clientType',
  'clientCode',
  'clientName',
  'clientVersion',
  'clientEngine',
  'clientEngineVersion',
  'deviceName',
  'deviceBrand',
  'deviceModel',
]);

/** What Appwrite substitutes for a missing/empty user agent before parsing. */
export const UNKNOWN_USER_AGENT = 'UNKNOWN';

/**
 * Only this many leading characters are parsed. device-detector's regexes are super-linear on
 * crafted input (a 20 kB UA of repeated "Build/ " takes ~14 s); real UAs are far shorter and
 * every token the regexes look for sits near the start.
 */
export const MAX_PARSED_USER_AGENT_LENGTH = 1024;

/** Distinct (truncated) user agents remembered. */
export const USER_AGENT_CACHE_SIZE = 1000;

const EMPTY: Readonly<ClientDetails> = Object.freeze({
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
});

/**
 * device-detector-js client types → Matomo PHP `$parserName` values
 * (Parser/Client/MediaPlayer.php: 'mediaplayer', Parser/Client/PIM.php: 'pim'; the others agree).
 */
const CLIENT_TYPE_TO_MATOMO: Readonly<Record<string, string>> = {
  'media player': 'mediaplayer',
  'personal information manager': 'pim',
};

/**
 * device-detector-js device types → Matomo PHP `AbstractDeviceParser::$deviceTypes` names
 * (what `DeviceDetector::getDeviceName()` returns); the others agree.
 */
const DEVICE_TYPE_TO_MATOMO: Readonly<Record<string, string>> = {
  television: 'tv',
  car: 'car browser',
};

interface CodeTable {
  /** lower-case name → [short code, canonical name] */
  byName: Map<string, readonly [string, string]>;
}

interface Tables {
  detector: DeviceDetector;
  os: CodeTable;
  browsers: CodeTable;
}

let tables: Tables | undefined;
const cache = new LruCache<string, Readonly<ClientDetails>>(USER_AGENT_CACHE_SIZE);

/**
 * PHP Matomo resolves the short code by a case-insensitive name match over its code table; the OS
 * loop has no `break` (last match wins, and the table's spelling replaces the parsed one), the
 * browser loop returns on the first match. The port's tables have no duplicate names, so the two
 * coincide; we keep "first wins".
 */
function codeTable(codeToName: Record<string, string>): CodeTable {
  const byName = new Map<string, readonly [string, string]>();
  for (const [code, name] of Object.entries(codeToName)) {
    const key = name.toLowerCase();
    if (!byName.has(key)) byName.set(key, [code, name] as const);
  }
  return { byName };
}

function load(): Tables {
  if (tables) return tables;
  // Lazy: requiring the port loads several MB of regex JSON; constructing it is cheap, but regexes
  // compile on first use (~0.75 s for the first parse, 0.1–0.3 s for each of the next few
  // differently-shaped UAs). One detector instance is reused for every parse.
  /* eslint-disable @typescript-eslint/no-var-requires */
  const Detector = require('device-detector-js') as typeof DeviceDetector;
  const osJson = require('device-detector-js/dist/parsers/operating-system/fixtures/operating-system.json') as {
    operatingSystem: Record<string, string>;
  };
  const browsersJson = require('device-detector-js/dist/parsers/client/fixtures/available-browsers.json') as Record<
    string,
    string
  >;
  /* eslint-enable @typescript-eslint/no-var-requires */
  tables = {
    // Appwrite's Detector calls skipBotDetection(); versionTruncation 1 = Matomo's default
    // VERSION_TRUNCATION_MINOR ("112.0.5615.49" → "112.0").
    detector: new Detector({ skipBotDetection: true, versionTruncation: 1 }),
    os: codeTable(osJson.operatingSystem),
    browsers: codeTable(browsersJson),
  };
  return tables;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Port of Matomo's Parser/Client/Browser/Engine/Version::parse(). Unlike the port (which only
 * looks for "<Engine>/x" and truncates), PHP maps Blink to the Chrome token and keeps the full
 * version: Chrome/112.0.0.0 → "112.0.0.0", AppleWebKit/605.1.15 → "605.1.15".
 */
export function engineVersionOf(userAgent: string, engine: string): string {
  if (!engine) return '';
  if (engine === 'Gecko' || engine === 'Clecko') {
    const m = /[ ](?:rv[: ]([0-9.]+)).*(?:g|cl)ecko\/[0-9]{8,10}/i.exec(userAgent);
    if (m) return m[1] ?? '';
  }
  let token = escapeRegExp(engine);
  if (engine === 'Blink') token = 'Chr[o0]me|Chromium|Cronet';
  else if (engine === 'Arachne') token = 'Arachne\\/5\\.';
  else if (engine === 'LibWeb') token = 'LibWeb\\+LibJs';
  // PHP: (?(?=\d+\.\d)\d+[.\d]*|\d{1,7}(?=(?:\D|$))) — JS has no conditional groups; an
  // alternation whose first branch is guarded by the same look-ahead is equivalent here.
  const re = new RegExp(`(?:${token})\\s*[/_]?\\s*((?=\\d+\\.\\d)\\d+[.\\d]*|\\d{1,7}(?=\\D|$))`, 'i');
  const m = re.exec(userAgent);
  return m ? (m[1] ?? '') : '';
}

/** Appwrite's Detector::getClient() special case for its own CLI (checked before device-detector). */
function appwriteCliVersion(userAgent: string): string {
  // PHP: explode('/', explode(' ', $ua)[0])[1] — undefined index (→ '') when the first token has no '/'.
  const firstToken = userAgent.split(' ')[0] ?? '';
  return firstToken.split('/')[1] ?? '';
}

function compute(userAgent: string): ClientDetails {
  const { detector, os: osTable, browsers } = load();
  const result = detector.parse(userAgent);
  const out: ClientDetails = { ...EMPTY };

  const os = result.os;
  if (os && os.name) {
    const hit = osTable.byName.get(os.name.toLowerCase());
    out.osCode = hit ? hit[0] : 'UNK'; // Matomo: $short = 'UNK' unless the name is in its table
    out.osName = hit ? hit[1] : os.name;
    out.osVersion = os.version ?? '';
  }

  if (userAgent.includes('AppwriteCLI')) {
    out.clientType = 'desktop';
    out.clientCode = 'cli';
    out.clientName = 'Appwrite CLI';
    out.clientVersion = appwriteCliVersion(userAgent);
  } else if (result.client && result.client.type) {
    const client = result.client;
    out.clientType = CLIENT_TYPE_TO_MATOMO[client.type] ?? client.type;
    out.clientName = client.name ?? '';
    out.clientVersion = client.version ?? '';
    if (client.type === 'browser') {
      // Only Matomo's Browser parser returns short_name/engine/engine_version; other client
      // parsers (library, mobile app, …) return type/name/version only → code '' (e.g. Node Fetch).
      const hit = browsers.byName.get(out.clientName.toLowerCase());
      if (hit) {
        out.clientCode = hit[0];
        out.clientName = hit[1];
      }
      const engine = 'engine' in client ? (client.engine ?? '') : '';
      out.clientEngine = engine;
      out.clientEngineVersion = engineVersionOf(userAgent, engine);
    }
  }

  const device = result.device;
  if (device) {
    out.deviceName = device.type ? (DEVICE_TYPE_TO_MATOMO[device.type] ?? device.type) : '';
    out.deviceBrand = device.brand ?? '';
    out.deviceModel = device.model ?? '';
  }
  return out;
}

/**
 * Parse a user agent into Appwrite's 12 client fields ('' when unknown). Results are cached in a
 * bounded LRU; each call returns a fresh object.
 */
export function parseUserAgent(userAgent: string | null | undefined): ClientDetails {
  let ua = typeof userAgent === 'string' && userAgent.length > 0 ? userAgent : UNKNOWN_USER_AGENT;
  if (ua.length > MAX_PARSED_USER_AGENT_LENGTH) ua = ua.slice(0, MAX_PARSED_USER_AGENT_LENGTH);
  let details = cache.get(ua);
  if (!details) {
    details = Object.freeze(compute(ua));
    cache.set(ua, details);
  }
  return { ...details };
}

const NO_MATCH_USER_AGENT = 'warm-up/0.0 (no match)';

/**
 * Representative user agents for {@link warmUpUserAgentParser}: they walk the OS, browser, engine
 * and device regex lists (the last one matches nothing, so it visits every regex once).
 */
const WARM_UP_USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 16_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/112.0',
  NO_MATCH_USER_AGENT,
];

/** Regex lists device-detector-js walks for every user agent (the bot list is skipped, as Appwrite does). */
const REGEX_FIXTURES = [
  'oss',
  'vendorfragments',
  'client/browser_engine',
  'client/browsers',
  'client/feed_readers',
  'client/libraries',
  'client/mediaplayers',
  'client/mobile_apps',
  'client/pim',
  'device/cameras',
  'device/car_browsers',
  'device/consoles',
  'device/mobiles',
  'device/notebooks',
  'device/portable_media_player',
  'device/televisions',
];

/**
 * Regexes compiled per warm-up step (~5–15 ms): a request handled meanwhile waits up to one step
 * at each of its event-loop turns, so steps stay short; more of them cost next to nothing.
 */
const REGEXES_PER_STEP = 20;

type RegexRunner = (rawRegex: string, userAgent: string) => unknown;

/**
 * The port's own regex runner and the top-level regexes of its lists. It compiles and caches one
 * RegExp per raw regex, so running them here compiles exactly what a parse would use. These are
 * internals of the pinned 3.0.3: should they move, the warm-up falls back to whole parses only.
 */
function portRegexes(): { run: RegexRunner; regexes: string[] } | null {
  try {
    /* eslint-disable @typescript-eslint/no-var-requires */
    const run = (require('device-detector-js/dist/utils/user-agent') as { userAgentParser: RegexRunner }).userAgentParser;
    const regexes = REGEX_FIXTURES.flatMap((name) => {
      const list = require(`device-detector-js/dist/fixtures/regexes/${name}.json`) as Record<string, unknown> | unknown[];
      /* eslint-enable @typescript-eslint/no-var-requires */
      // Entries are { regex, … }, except the vendor fragments: arrays of raw regexes.
      return Object.values(list).flatMap((entry) => (Array.isArray(entry) ? entry : [(entry as { regex?: unknown })?.regex]));
    });
    return typeof run === 'function' ? { run, regexes: regexes.filter((r): r is string => typeof r === 'string') } : null;
  } catch {
    return null;
  }
}

/**
 * The warm-up as short steps (yield = a point where other work may run). Each top-level regex
 * runs twice: V8 compiles a regex to bytecode on its first run and to machine code on its
 * second, and both compilations are what makes a cold parse slow (~1–1.3 s for the first UA,
 * mostly the 930 mobile-brand regexes). The representative UAs then reach the model regexes of
 * their brands and the port's code paths. Their results are not cached.
 */
function* warmUpSteps(): Generator<void, void, void> {
  load();
  yield;
  const port = portRegexes();
  if (port) {
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < port.regexes.length; i += REGEXES_PER_STEP) {
        for (const regex of port.regexes.slice(i, i + REGEXES_PER_STEP)) port.run(regex, NO_MATCH_USER_AGENT);
        yield;
      }
    }
  }
  for (const ua of WARM_UP_USER_AGENTS) {
    compute(ua);
    yield;
  }
}

/**
 * Load the parser and compile its regexes now, in one go (~1.5 s), so later parses do not pay
 * that one-off cost (~0.75 s on the first parse plus 0.1–0.3 s on each of the next few
 * differently-shaped UAs). For a serving process prefer {@link warmUpUserAgentParserInBackground}.
 */
export function warmUpUserAgentParser(): void {
  for (const _ of warmUpSteps());
}

/**
 * The same warm-up, one short step per event-loop turn, so a process that already serves keeps
 * answering meanwhile (a request waits at most one step, not the whole warm-up).
 */
export async function warmUpUserAgentParserInBackground(signal?: AbortSignal): Promise<void> {
  for (const _ of warmUpSteps()) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    // A process that stops (or a test that ends) must not keep compiling, nor load modules late.
    if (signal?.aborted) return;
  }
}

/** For tests/measurements: forget cached results (the detector itself stays loaded). */
export function clearUserAgentCache(): void {
  cache.clear();
}

/** For tests/measurements: number of cached user agents. */
export function userAgentCacheSize(): number {
  return cache.size;
}

/**
 * IP → country, as Appwrite 1.3 does it with its GeoIP reader:
 *   countryCode = strtolower($record['country']['iso_code']) when the country is known, else '--'
 *   countryName = locale "countries.<code>" (English), else locale "locale.country.unknown" = 'Unknown'
 *
 * Here: geoip-country (bundled GeoLite2 country data) for the lookup and i18n-iso-countries (English)
 * for names. Both load lazily on first use (geoip-country reads ~7 MB into memory at require time).
 */
import type * as I18nIsoCountries from 'i18n-iso-countries';

export const UNKNOWN_COUNTRY_CODE = '--';
export const UNKNOWN_COUNTRY_NAME = 'Unknown';

interface GeoIpCountry {
  lookup(ip: string): { country?: string } | null;
}

type Countries = typeof I18nIsoCountries;

let geoip: GeoIpCountry | undefined;
let countries: Countries | undefined;
let names: Map<string, string> | undefined;

function geo(): GeoIpCountry {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (geoip ??= require('geoip-country') as GeoIpCountry);
}

function iso(): Countries {
  if (!countries) {
    // The package's Node entry registers ~80 locales; take the bare library and register English only.
    // (Same module instance as `require('i18n-iso-countries')`, so registering twice is harmless.)
    /* eslint-disable @typescript-eslint/no-var-requires */
    const lib = require('i18n-iso-countries/index') as Countries;
    lib.registerLocale(require('i18n-iso-countries/langs/en.json') as I18nIsoCountries.LocaleData);
    /* eslint-enable @typescript-eslint/no-var-requires */
    countries = lib;
  }
  return countries;
}

/** Words of 4+ letters, diacritics folded ("Türkiye" → ["turkiye"]). */
function words(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 4);
}

/** Whether `alias` is a short form of `official` (they share a word stem: "Russia"/"Russian Federation"). */
function isShortFormOf(alias: string, official: string): boolean {
  const stems = new Set(words(official).map((w) => w.slice(0, 4)));
  return words(alias).some((w) => stems.has(w.slice(0, 4)));
}

/**
 * English display name per alpha-2 code. i18n-iso-countries' first ("official") name is often the
 * formal one ("United States of America", "Russian Federation"); Appwrite's English locale uses
 * common short names ("United States", "Russia"). Rule: the shortest of the package's names that
 * is mixed-case (not "UK"/"USA"), not inverted (no comma), unambiguous (not "Congo", shared by CD
 * and CG) and a short form of the official name (so GB stays "United Kingdom", not "Great
 * Britain"); otherwise the official name. This changes 11 names (US, RU, CN, CZ, GM, IR, MK, PS, TW,
 * TZ, TR) and matches Appwrite 1.3's English name for 183 of its 194 countries; the rest have no
 * matching spelling in i18n-iso-countries (e.g. "Lao People's Democratic Republic" vs "Laos").
 */
function nameTable(): Map<string, string> {
  if (names) return names;
  const lib = iso();
  const all = new Map<string, string[]>();
  const uses = new Map<string, number>();
  for (const code of Object.keys(lib.getAlpha2Codes())) {
    const list = lib.getName(code, 'en', { select: 'all' }) ?? [];
    if (list.length === 0) continue;
    all.set(code, list);
    for (const n of list) uses.set(n, (uses.get(n) ?? 0) + 1);
  }
  const table = new Map<string, string>();
  for (const [code, list] of all) {
    const official = list[0] as string;
    let best = official;
    for (const candidate of list.slice(1)) {
      if (
        candidate.length < best.length &&
        /[a-z]/.test(candidate) &&
        !candidate.includes(',') &&
        uses.get(candidate) === 1 &&
        isShortFormOf(candidate, official)
      ) {
        best = candidate;
      }
    }
    table.set(code, best);
  }
  names = table;
  return table;
}

/** Lower-case ISO 3166-1 alpha-2 code for an IP, or '--' (private, loopback, unknown, not an IP). */
export function countryCodeOf(ip: string | null | undefined): string {
  if (typeof ip !== 'string') return UNKNOWN_COUNTRY_CODE;
  const addr = ip.trim();
  if (addr.length === 0) return UNKNOWN_COUNTRY_CODE;
  let code: string | undefined;
  try {
    code = geo().lookup(addr)?.country;
  } catch {
    return UNKNOWN_COUNTRY_CODE; // e.g. an IPv6 zone id the lookup cannot convert
  }
  if (typeof code !== 'string' || !/^[A-Za-z]{2}$/.test(code)) return UNKNOWN_COUNTRY_CODE;
  // Appwrite's log listing emits '--' when its locale has no name for the code; do the same
  // against i18n-iso-countries (GeoLite2 only uses ISO codes, so this practically never triggers).
  const upper = code.toUpperCase();
  return nameTable().has(upper) ? upper.toLowerCase() : UNKNOWN_COUNTRY_CODE;
}

/** English country name for a (any-case) alpha-2 code; 'Unknown' for '--', '' or unknown codes. */
export function countryNameOf(code: string | null | undefined): string {
  if (typeof code !== 'string') return UNKNOWN_COUNTRY_NAME;
  const c = code.trim();
  if (!/^[A-Za-z]{2}$/.test(c)) return UNKNOWN_COUNTRY_NAME;
  return nameTable().get(c.toUpperCase()) ?? UNKNOWN_COUNTRY_NAME;
}

import { compareVersions, newerFormatWarning, parseResponseFormat, SERVER_FORMAT } from './response-format';
import { errorForFormat } from './error-formats';

describe('response format of a request', () => {
  it('compares versions part by part, missing parts being 0', () => {
    expect(compareVersions('1.9.1', '1.9.0')).toBe(1);
    expect(compareVersions('1.10.0', '1.9.6')).toBe(1);
    expect(compareVersions('1.9', '1.9.0')).toBe(0);
    expect(compareVersions('1.4.0', '1.5.0')).toBe(-1);
  });

  it('is the newest without a header, the asked one otherwise', () => {
    expect(parseResponseFormat(undefined)).toEqual({ version: SERVER_FORMAT, newerThanServer: null });
    expect(parseResponseFormat('  ')).toEqual({ version: SERVER_FORMAT, newerThanServer: null });
    expect(parseResponseFormat('1.0.0')).toEqual({ version: '1.0.0', newerThanServer: null });
    expect(parseResponseFormat(['1.4.0', '1.5.0'])).toEqual({ version: '1.5.0', newerThanServer: null });
  });

  it('answers a newer SDK in the newest format, and says so', () => {
    expect(parseResponseFormat('2.5.0')).toEqual({ version: SERVER_FORMAT, newerThanServer: '2.5.0' });
    expect(newerFormatWarning('2.5.0')).toBe(
      `The current SDK is built for Appwrite 2.5.0. However, the current Appwrite server version is ${SERVER_FORMAT}. Please downgrade your SDK to match the Appwrite version: https://appwrite.io/docs/sdks`,
    );
  });

  it('takes a value that is no version as the oldest, as version_compare ranks it', () => {
    expect(parseResponseFormat('latest').version).toBe('0.0.0');
  });
});

describe('errors by format', () => {
  const blocked = { message: 'The current user has been blocked.', code: 403, type: 'user_blocked', version: '1.9.6' };
  it('gives formats before 1.9.0 the 401 and text of their release', () => {
    expect(errorForFormat(blocked, parseResponseFormat('1.8.0'))).toEqual({ ...blocked, code: 401, message: 'The current user has been blocked. You can unblock the user from the Appwrite console.' });
    expect(errorForFormat(blocked, parseResponseFormat('1.9.0'))).toEqual(blocked);
    expect(errorForFormat(blocked, parseResponseFormat(undefined))).toEqual(blocked);
  });
  it('keeps a custom message, and leaves other types alone', () => {
    expect(errorForFormat({ ...blocked, message: 'custom' }, parseResponseFormat('1.0.0'))).toMatchObject({ code: 401, message: 'custom' });
    const notFound = { message: 'x', code: 404, type: 'user_not_found', version: '1.9.6' };
    expect(errorForFormat(notFound, parseResponseFormat('1.0.0'))).toBe(notFound);
  });
});

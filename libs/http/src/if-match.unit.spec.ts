import { AppwriteException } from '@lib/appwrite';
import { parseIfMatch } from './if-match';

const refusal = (header: string) => {
  try {
    parseIfMatch(header);
  } catch (err) {
    return err instanceof AppwriteException ? [err.code, err.type] : err;
  }
  return 'accepted';
};

describe('If-Match header', () => {
  it('is absent: no precondition', () => expect(parseIfMatch(undefined)).toBeNull());

  it('`*`: any revision, the resource must exist', () => {
    expect(parseIfMatch('*')).toBe('any');
    expect(parseIfMatch('  *  ')).toBe('any');
  });

  it('strong and weak tags name stream revisions', () => {
    expect(parseIfMatch('"3"')).toEqual([3]);
    expect(parseIfMatch('W/"3"')).toEqual([3]);
    expect(parseIfMatch('"0"')).toEqual([0]);
  });

  it('a list, with optional whitespace, and several headers', () => {
    expect(parseIfMatch('"1", W/"2" ,"7"')).toEqual([1, 2, 7]);
    expect(parseIfMatch(['"1"', '"4"'])).toEqual([1, 4]);
  });

  it('well-formed tags that are not our ETags match nothing (a 412, not a 400)', () => {
    expect(parseIfMatch('"abc"')).toEqual([]);
    expect(parseIfMatch('"03", "-1", "1.0", ""')).toEqual([]);
    expect(parseIfMatch('"x", "5"')).toEqual([5]);
  });

  it.each(['', '3', 'W/3', '"3', '3"', '"3",', ',"3"', '"3" "4"', '"3";"4"', 'w/"3"', '*, "3"', '"a"b"'])('refuses %p as malformed: 400 general_argument_invalid', (header) => {
    expect(refusal(header)).toEqual([400, 'general_argument_invalid']);
  });
});

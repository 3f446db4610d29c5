import { parseQuery } from './parse-query';
import { QueryError } from './query-error';

function parseError(s: string): string {
  try {
    parseQuery(s);
  } catch (e) {
    expect(e).toBeInstanceOf(QueryError);
    return (e as Error).message;
  }
  throw new Error(`expected ${s} to fail`);
}

describe('parseQuery — string syntax (queries.md §3.1 parse vectors)', () => {
  // [input, method, attribute, values]
  const vectors: Array<[string, string, string, unknown[]]> = [
    ['equal("name", ["John"])', 'equal', 'name', ['John']],
    ['equal("name", "John")', 'equal', 'name', ['John']],
    ['equal("name", ["John", "Jane"])', 'equal', 'name', ['John', 'Jane']],
    ["equal('name', ['John'])", 'equal', 'name', ['John']],
    ['equal("name", ["John Doe"])', 'equal', 'name', ['John Doe']],
    ['equal(name, [x y])', 'equal', 'name', ['xy']],
    ['equal("name", [ "a b " ])', 'equal', 'name', ['a b ']],
    ['equal("name",["a,b"])', 'equal', 'name', ['a,b']],
    ['equal("name", ["a\\,b"])', 'equal', 'name', ['a,b']],
    ['equal("name", ["a\\"b"])', 'equal', 'name', ['a"b']],
    ['equal("name", [\'a"b\'])', 'equal', 'name', ['a"b']],
    ['equal("name", ["it\'s"])', 'equal', 'name', ["it's"]],
    ['equal("name", ["a]b"])', 'equal', 'name', ['a]b']],
    ['equal("name", ["a\\\\b"])', 'equal', 'name', ['a\\\\b']],
    ['equal("name", ["a\\nb"])', 'equal', 'name', ['a\\nb']],
    ['equal("name", ["123"])', 'equal', 'name', ['123']],
    ['equal("name", [123])', 'equal', 'name', [123]],
    ['equal("name", [1.5])', 'equal', 'name', [1.5]],
    ['equal("name", [1e3])', 'equal', 'name', [1000]],
    ['equal("name", [abc])', 'equal', 'name', ['abc']],
    ['equal("name", [null])', 'equal', 'name', [null]],
    ['equal("name", [""])', 'equal', 'name', ['']],
    ['equal("name", "")', 'equal', 'name', ['']],
    ['equal("name", [])', 'equal', 'name', []],
    ['equal("name")', 'equal', 'name', []],
    ['equal()', 'equal', '', []],
    ['equal("status", [true])', 'equal', 'status', [true]],
    ['equal("status", true)', 'equal', 'status', [true]],
    ['equal("status", ["true"])', 'equal', 'status', ['true']],
    ['equal("status", [TRUE])', 'equal', 'status', ['TRUE']],
    ['between("registration", "2023-01-01", "2023-12-31")', 'between', 'registration', ['2023-01-01', '2023-12-31']],
    ['between("registration", ["2023-01-01", "2023-12-31"])', 'between', 'registration', [['2023-01-01', '2023-12-31'], null]],
    ['isNull("phone")', 'isNull', 'phone', []],
    ['startsWith("email", "john")', 'startsWith', 'email', ['john']],
    ['select(["name", "email"])', 'select', '', ['name', 'email']],
    ['orderAsc("name")', 'orderAsc', 'name', []],
    ['orderDesc("")', 'orderDesc', '', []],
    ['orderDesc()', 'orderDesc', '', []],
    ['limit(25)', 'limit', '', [25]],
    ['limit("25")', 'limit', '', ['25']],
    ['limit(-1)', 'limit', '', [-1]],
    ['limit(1.5)', 'limit', '', [1.5]],
    ['limit()', 'limit', '', []],
    ['limit(0x1A)', 'limit', '', ['0x1A']],
    ['cursorAfter("5e5ea5c16897e")', 'cursorAfter', '', ['5e5ea5c16897e']],
    ['cursorAfter(user1)', 'cursorAfter', '', ['user1']],
    ['cursorAfter(123)', 'cursorAfter', '', [123]],
    ['foo("name", "x")', 'foo', '', []],
  ];

  it.each(vectors)('%s', (input, method, attribute, values) => {
    expect(parseQuery(input)).toEqual({ method, attribute, values });
  });

  it('keeps number types (integer vs string)', () => {
    expect(typeof parseQuery('equal("name", [123])').values[0]).toBe('number');
    expect(typeof parseQuery('equal("name", ["123"])').values[0]).toBe('string');
  });

  it.each([
    ['limit 25', 'Invalid query: limit 25'],
    ['title.equal("x")', 'Invalid query: title.equal("x")'],
    ['limit 5', 'Invalid query: limit 5'],
    ['', 'Invalid query: '],
    ['equal', 'Invalid query: equal'],
  ])('%j → error %j', (input, message) => {
    expect(parseError(input)).toBe(message);
  });

  describe('algorithm details', () => {
    it('takes the method verbatim (no trimming)', () => {
      expect(parseQuery(' equal("name", "x")').method).toBe(' equal');
      expect(parseQuery('equal ("name", "x")').method).toBe('equal ');
    });

    it('never inspects the last character', () => {
      expect(parseQuery('limit(25]')).toEqual({ method: 'limit', attribute: '', values: [25] });
      expect(parseQuery('limit(25')).toEqual({ method: 'limit', attribute: '', values: [2] });
      expect(parseQuery('limit(')).toEqual({ method: 'limit', attribute: '', values: [] });
      expect(parseQuery('(')).toEqual({ method: '', attribute: '', values: [] });
    });

    it('a dot after the first "(" is fine', () => {
      expect(parseQuery('equal("name.first", ["x"])')).toEqual({ method: 'equal', attribute: 'name.first', values: ['x'] });
    });

    it('drops spaces outside strings, keeps them inside', () => {
      expect(parseQuery('equal( "name" , [ "a b" , c d ] )').values).toEqual(['a b', 'cd']);
    });

    it('drops an escaped comma or space outside a string', () => {
      expect(parseQuery('equal("name", [a\\,b])').values).toEqual(['ab']);
      expect(parseQuery('equal("name", [a\\ b])').values).toEqual(['a\\b']);
    });

    it('escapes brackets and quotes outside strings', () => {
      expect(parseQuery('equal("name", [a\\]b])').values).toEqual(['a]b']);
      expect(parseQuery('equal("name", [a\\[b])').values).toEqual(['a[b']);
    });

    it('keeps the other quote inside a string', () => {
      expect(parseQuery(`equal("name", ["a'b"])`).values).toEqual(["a'b"]);
    });

    it('a comma inside an array with an empty token adds an empty element', () => {
      expect(parseQuery('equal("name", [,a])').values).toEqual(['', 'a']);
      expect(parseQuery('equal("name", [a,])').values).toEqual(['a']);
    });

    it('unterminated string swallows the rest', () => {
      expect(parseQuery('equal("name, ["x"])')).toEqual({ method: 'equal', attribute: 'name, ["x"', values: [] });
    });

    it('a backslash may consume the final character', () => {
      expect(parseQuery('limit(5\\)')).toEqual({ method: 'limit', attribute: '', values: ['5\\)'] });
    });

    it('converts values: booleans, null, numbers, quoted and raw text', () => {
      expect(parseQuery('equal("a", [true, false, null, -2, +3, .5, 2e-1, "x", \'y\', z])').values).toEqual([
        true,
        false,
        null,
        -2,
        3,
        0.5,
        0.2,
        'x',
        'y',
        'z',
      ]);
    });

    it('strips the first and last character of quoted text even if unbalanced', () => {
      expect(parseQuery('equal("a", "x)').values).toEqual(['']);
      expect(parseQuery('equal("a", [\'ab])').values).toEqual(['ab']);
    });

    it('trims PHP whitespace only', () => {
      expect(parseQuery('limit(\t25\t)').values).toEqual([25]);
      expect(parseQuery('limit(\u00a025)').values).toEqual(['\u00a025']);
    });

    it('coerces non-string attributes like PHP', () => {
      expect(parseQuery('equal(123, "x")').attribute).toBe('123');
      expect(parseQuery('equal(true, "x")').attribute).toBe('1');
      expect(parseQuery('equal(false, "x")').attribute).toBe('');
      expect(parseQuery('equal(null, "x")').attribute).toBe('');
      expect(parseQuery('orderAsc(1.5)').attribute).toBe('1.5');
      expect(parseQuery('orderAsc(null)').attribute).toBe('');
    });

    it('ignores parameters beyond the ones a method uses', () => {
      expect(parseQuery('equal("a", "b", "c")').values).toEqual(['b']);
      expect(parseQuery('limit(1, 2)').values).toEqual([1]);
      expect(parseQuery('orderAsc("name", "x")')).toEqual({ method: 'orderAsc', attribute: 'name', values: [] });
      expect(parseQuery('select(["a"], ["b"])').values).toEqual(['a']);
    });

    it('between: missing bounds become null', () => {
      expect(parseQuery('between("registration", "2023-01-01")').values).toEqual(['2023-01-01', null]);
      expect(parseQuery('between("registration")').values).toEqual([null, null]);
    });

    it('accumulates array elements across array parameters (PHP $arr quirk)', () => {
      expect(parseQuery('between("a", [1], [2])').values).toEqual([[1], [1, 2]]);
    });

    it('nested arrays come out flat', () => {
      expect(parseQuery('equal("a", [[x, y], z])').values).toEqual(['x', 'y']);
    });

    it('and/or in string syntax carry no values', () => {
      expect(parseQuery('or(equal("name", "a"), equal("name", "b"))')).toEqual({ method: 'or', attribute: '', values: [] });
    });

    it.each([
      'equal(["a"], "x")',
      'orderAsc(["a"])',
      'between()',
      'between(null, "a", "b")',
      'between(["a"], "a", "b")',
      'select()',
      'select("name")',
      'select(null)',
    ])('%s fails like a PHP TypeError (invalid query)', (input) => {
      expect(parseError(input)).toBe(`Invalid query: ${input}`);
    });

    it('handles non-ASCII text', () => {
      expect(parseQuery('equal("name", ["Łukasz 😀"])').values).toEqual(['Łukasz 😀']);
      expect(parseQuery('equal("name", "😀")').values).toEqual(['😀']);
    });
  });
});

describe('parseQuery — JSON syntax (queries.md §3.2)', () => {
  const sdk: Array<[string, unknown]> = [
    ['{"method":"equal","attribute":"name","values":["John"]}', { method: 'equal', attribute: 'name', values: ['John'] }],
    [
      '{"method":"equal","attribute":"name","values":["John","Jane"]}',
      { method: 'equal', attribute: 'name', values: ['John', 'Jane'] },
    ],
    ['{"method":"notEqual","attribute":"status","values":[false]}', { method: 'notEqual', attribute: 'status', values: [false] }],
    ['{"method":"isNull","attribute":"phone"}', { method: 'isNull', attribute: 'phone', values: [] }],
    [
      '{"method":"between","attribute":"registration","values":["2023-01-01","2023-12-31"]}',
      { method: 'between', attribute: 'registration', values: ['2023-01-01', '2023-12-31'] },
    ],
    ['{"method":"select","values":["name"]}', { method: 'select', attribute: '', values: ['name'] }],
    ['{"method":"orderDesc","attribute":""}', { method: 'orderDesc', attribute: '', values: [] }],
    ['{"method":"limit","values":[25]}', { method: 'limit', attribute: '', values: [25] }],
    ['{"method":"offset","values":[0]}', { method: 'offset', attribute: '', values: [0] }],
    ['{"method":"cursorAfter","values":["id"]}', { method: 'cursorAfter', attribute: '', values: ['id'] }],
    [
      '{"method":"lessThan","attribute":"$createdAt","values":["2023-01-01T00:00:00.000+00:00"]}',
      { method: 'lessThan', attribute: '$createdAt', values: ['2023-01-01T00:00:00.000+00:00'] },
    ],
    [
      '{"method":"or","values":[{"method":"equal","attribute":"name","values":["a"]},{"method":"and","values":[{"method":"isNull","attribute":"email"},{"method":"startsWith","attribute":"phone","values":["+1"]}]}]}',
      {
        method: 'or',
        attribute: '',
        values: [
          { method: 'equal', attribute: 'name', values: ['a'] },
          {
            method: 'and',
            attribute: '',
            values: [
              { method: 'isNull', attribute: 'email', values: [] },
              { method: 'startsWith', attribute: 'phone', values: ['+1'] },
            ],
          },
        ],
      },
    ],
  ];

  it.each(sdk)('%s', (input, expected) => {
    expect(parseQuery(input)).toEqual(expected);
  });

  it('detects JSON after leading whitespace', () => {
    expect(parseQuery('  \n{"method":"limit","values":[1]}')).toEqual({ method: 'limit', attribute: '', values: [1] });
  });

  it('treats explicit nulls as absent and ignores unknown keys', () => {
    expect(parseQuery('{"method":"limit","attribute":null,"values":null,"alias":"x"}')).toEqual({
      method: 'limit',
      attribute: '',
      values: [],
    });
  });

  it('keeps non-string values for the validator to judge', () => {
    expect(parseQuery('{"method":"equal","attribute":"name","values":[1,null,{"a":1}]}').values).toEqual([1, null, { a: 1 }]);
  });

  it.each([
    ['{', 'Invalid query: {'],
    ['{"method":"limit"', 'Invalid query: {"method":"limit"'],
    ['{"method":"equal","attribute":"name","values":"John"}', 'Invalid query: {"method":"equal","attribute":"name","values":"John"}'],
    ['{"method":"equal","attribute":5,"values":["x"]}', 'Invalid query: {"method":"equal","attribute":5,"values":["x"]}'],
    ['{"method":"equal","attribute":["a"],"values":["x"]}', 'Invalid query: {"method":"equal","attribute":["a"],"values":["x"]}'],
    ['{"method":"foo"}', 'Query method not valid: foo'],
    ['{"attribute":"name"}', 'Query method not valid: '],
    ['{"method":null}', 'Query method not valid: '],
    ['{"method":5}', 'Query method not valid: 5'],
    // Methods of Appwrite's database that no route here has (geo, vectors, elemMatch); the 1.8 ones parse (parse-query.latest.unit.spec.ts).
    ['{"method":"distanceLessThan","attribute":"loc","values":[]}', 'Query method not valid: distanceLessThan'],
    ['{"method":"vectorDot","attribute":"v","values":[[1]]}', 'Query method not valid: vectorDot'],
    ['{"method":"elemMatch","attribute":"a","values":[]}', 'Query method not valid: elemMatch'],
    ['{"method":"constructor"}', 'Query method not valid: constructor'],
    ['{"method":"or","values":[{"method":"foo"}]}', 'Query method not valid: foo'],
    ['{"method":"or","values":["equal(\\"name\\", \\"a\\")"]}', 'Invalid query: {"method":"or","values":["equal(\\"name\\", \\"a\\")"]}'],
    ['{"method":"and","values":[[1]]}', 'Invalid query: {"method":"and","values":[[1]]}'],
  ])('%s → %j', (input, message) => {
    expect(parseError(input)).toBe(message);
  });

  it('a JSON array or scalar is not a query object', () => {
    // Does not start with "{" → string syntax → no "(".
    expect(parseError('[1]')).toBe('Invalid query: [1]');
    // A JSON string is just string syntax with a quote in the method name.
    expect(parseQuery('"limit(1)"')).toEqual({ method: '"limit', attribute: '', values: [] });
  });
});

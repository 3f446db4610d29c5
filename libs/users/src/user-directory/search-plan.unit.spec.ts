import { matchesSearch, planSearch, searchableWords, tokenize } from './search-plan';

describe('planSearch', () => {
  it.each([
    ['Ronaldo', { mode: 'any', words: [], prefix: 'ronaldo' }],
    ['man', { mode: 'any', words: [], prefix: 'man' }],
    ['cristiano.ronaldo', { mode: 'any', words: ['cristiano'], prefix: 'ronaldo' }],
    [
      'cristiano.ronaldo@manchester-united.co.uk',
      { mode: 'any', words: ['cristiano', 'ronaldo', 'manchester', 'united'], prefix: 'uk' },
    ],
    ['united.co.uk', { mode: 'any', words: ['united'], prefix: 'uk' }],
    ['+910000000000', { mode: 'any', words: [], prefix: '910000000000' }],
    ['"users.service@updated.com"', { mode: 'phrase', words: ['users', 'service', 'updated', 'com'] }],
    ['  "John  a Smith" ', { mode: 'phrase', words: ['john', 'a', 'smith'] }],
    // A short last word still matches as a prefix; short earlier words are dropped.
    ['jo', { mode: 'any', words: [], prefix: 'jo' }],
    ['jo smith', { mode: 'any', words: [], prefix: 'smith' }],
    // A stop-word never matches, not even in the prefix position.
    ['john the', { mode: 'any', words: ['john'], prefix: null }],
    ['the john', { mode: 'any', words: [], prefix: 'john' }],
    ['john john JOHN', { mode: 'any', words: ['john'], prefix: 'john' }],
    ['messi_10', { mode: 'any', words: [], prefix: 'messi_10' }],
    ["O'Neil (x) ~y", { mode: 'any', words: ['neil'], prefix: 'y' }],
    ['Jöhn_Doe ÜNÏCODE', { mode: 'any', words: ['jöhn_doe'], prefix: 'ünïcode' }],
    ['***abc***', { mode: 'any', words: [], prefix: 'abc' }],
    ['"abc', { mode: 'any', words: [], prefix: 'abc' }],
  ])('%s', (term, plan) => {
    expect(planSearch(term)).toEqual(plan);
  });

  it.each(['the', 'a', 'to be', 'www.com', '@+-*', '   ', '', '"', '""', '"the"', '"a b"', '"of the"', '...'])(
    '%j leaves nothing to match',
    (term) => {
      expect(planSearch(term)).toEqual({ mode: 'none' });
    },
  );
});

describe('tokenize / searchableWords', () => {
  it('splits on everything but letters, marks, digits and _; lower-cases with JS rules', () => {
    expect(tokenize('İstanbul É-e\u0301 a_b.c')).toEqual(['i̇stanbul', 'é', 'e\u0301', 'a_b', 'c']);
  });

  it('tokenizes "{$id} {email} {phone} {name}" with absent values skipped', () => {
    expect(
      searchableWords({ id: 'u1', email: 'Cristiano.Ronaldo@Manchester-United.co.uk', phone: null, name: 'Cristiano Ronaldo' }),
    ).toEqual(['u1', 'cristiano', 'ronaldo', 'manchester', 'united', 'co', 'uk', 'cristiano', 'ronaldo']);
    expect(searchableWords({ id: 'u2', email: null, phone: '+910000000000', name: '' })).toEqual(['u2', '910000000000']);
  });
});

describe('matchesSearch (the spec examples, queries.md §6)', () => {
  const ronaldo = searchableWords({
    id: '6459d8a31b2f4c07e9a1',
    email: 'cristiano.ronaldo@manchester-united.co.uk',
    phone: null,
    name: 'Cristiano Ronaldo',
  });
  const messi = searchableWords({ id: 'messi_10', email: 'lionel.messi@barcelona.es', phone: null, name: 'Lionel Messi' });
  const phoneUser = searchableWords({ id: 'p1', email: null, phone: '+910000000000', name: 'Phone User' });
  const service = searchableWords({ id: 'svc', email: 'users.service@updated.com', phone: null, name: 'Svc' });
  const all = { ronaldo, messi, phoneUser, service };
  const found = (term: string) =>
    Object.entries(all)
      .filter(([, words]) => matchesSearch(planSearch(term), words))
      .map(([name]) => name);

  it.each([
    'Ronaldo',
    'man',
    'manchester',
    'cristiano.ronaldo',
    'cristiano.ronaldo@manchester-united.co.uk',
    'united.co.uk',
    '6459d8a31b2f4c07e9a1',
    '"Cristiano Ronaldo"',
  ])('%s finds only Ronaldo', (term) => {
    expect(found(term)).toEqual(['ronaldo']);
  });

  it('finds by phone, by quoted email, by an id with an underscore', () => {
    expect(found('+910000000000')).toEqual(['phoneUser']);
    expect(found('"users.service@updated.com"')).toEqual(['service']);
    expect(found('messi_10')).toEqual(['messi']);
  });

  it('ORs the words, matches only the last as a prefix and phrases only in order', () => {
    expect(found('lionel ronaldo')).toEqual(['ronaldo', 'messi']);
    expect(found('ronald cristiano')).toEqual(['ronaldo']);
    expect(found('ronald xyz')).toEqual([]);
    expect(found('"Ronaldo Cristiano"')).toEqual([]);
    expect(found('"service updated"')).toEqual(['service']);
    expect(found('the')).toEqual([]);
  });
});

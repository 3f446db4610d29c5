import { validateParams } from './params';
import { Range } from './rules';

describe('Range (Utopia integer Range, as Appwrite 1.5+ routes use it)', () => {
  it('describes its bounds through number_format', () => {
    expect(Range(4, 128).description).toBe('Value must be a valid range between 4 and 128');
    expect(Range(60, 31_536_000).description).toBe('Value must be a valid range between 60 and 31,536,000');
    expect(Range(0, 3600).description).toBe('Value must be a valid range between 0 and 3,600');
    expect(Range(-1000, 1000).description).toBe('Value must be a valid range between -1,000 and 1,000');
  });

  it('accepts integers and integer strings within the bounds, inclusive', () => {
    const rule = Range(4, 128);
    for (const ok of [4, 128, 6, '6', ' 64', '128 ', '+8']) expect([ok, rule.check(ok)]).toEqual([ok, true]);
    expect(rule.coerce!('  6')).toBe(6);
    expect(rule.coerce!(6)).toBe(6);
    expect(Object.is(Range(0, 1).coerce!('-0'), 0)).toBe(true);
  });

  it('refuses values out of bounds, floats, float strings and non-numbers', () => {
    const rule = Range(4, 128);
    for (const bad of [3, 129, -4, 4.5, '4.0', '1e1', '0x10', '', 'six', true, null, [], {}, Number.NaN, Infinity, 2 ** 60]) {
      expect([bad, rule.check(bad)]).toEqual([bad, false]);
    }
  });

  it('reports in parameter order with the 1.3 message form', () => {
    const defs = [
      { name: 'length', in: 'body' as const, required: false, default: 6, rule: Range(4, 128), openapi: { type: 'integer' as const, description: '' } },
      { name: 'expire', in: 'body' as const, required: false, default: 900, rule: Range(60, 31_536_000), openapi: { type: 'integer' as const, description: '' } },
    ];
    const input = (body: Record<string, unknown>) => ({ path: {}, query: {}, body });
    expect(validateParams(defs, input({}))).toEqual({ length: 6, expire: 900 });
    expect(validateParams(defs, input({ length: '8', expire: 60 }))).toEqual({ length: 8, expire: 60 });
    expect(() => validateParams(defs, input({ length: 3, expire: 59 }))).toThrow('Invalid length: Value must be a valid range between 4 and 128');
    expect(() => validateParams(defs, input({ expire: 59 }))).toThrow('Invalid expire: Value must be a valid range between 60 and 31,536,000');
  });
});

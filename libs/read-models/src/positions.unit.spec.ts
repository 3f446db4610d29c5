import { comparePositionsNaturally as cmp } from './positions';

describe('comparePositionsNaturally', () => {
  it('orders digit runs as numbers and the rest as text', () => {
    expect(cmp('10', '9')).toBeGreaterThan(0);
    expect(cmp('9', '10')).toBeLessThan(0);
    expect(cmp('42', '42')).toBe(0);
    expect(cmp('123456789012345678901234567890', '123456789012345678901234567891')).toBeLessThan(0);
    expect(cmp('C:12/P:3', 'C:9/P:40')).toBeGreaterThan(0);
    expect(cmp('C:12/P:3', 'C:12/P:40')).toBeLessThan(0);
    expect(cmp('0010', '9')).toBeGreaterThan(0);
    expect(Math.sign(cmp('007', '7'))).toBe(-Math.sign(cmp('7', '007')));
    expect(cmp('1', '1:0')).toBeLessThan(0);
  });
});

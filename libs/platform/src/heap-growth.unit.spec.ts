import { boundHeapGrowth } from './heap-growth';

describe('boundHeapGrowth', () => {
  it('leaves the growth to a --heap-growing-percent given on the command line, in either spelling', () => {
    expect(boundHeapGrowth(['--heap-growing-percent=20'])).toBe(false);
    expect(boundHeapGrowth(['--enable-source-maps', '--heap_growing_percent=80'])).toBe(false);
  });

  it('bounds it otherwise (other flags do not count)', () => {
    expect(boundHeapGrowth(['--enable-source-maps', '--max-old-space-size=512'])).toBe(true);
  });
});

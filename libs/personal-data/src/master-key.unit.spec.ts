import { randomBytes } from 'node:crypto';
import { MasterKeyMismatchError, masterKeyCheck, unwrapDataKey, wrapDataKey } from './master-key';

const master = randomBytes(32);
const dataKey = randomBytes(32);

describe('data key wrapping', () => {
  it('unwraps what it wrapped, and the wrapped form does not contain the key', () => {
    const wrapped = wrapDataKey(master, 'k1', dataKey);
    expect(unwrapDataKey(master, 'k1', wrapped)).toEqual(dataKey);
    expect(wrapped.includes(dataKey)).toBe(false);
  });

  it('refuses another master key, and a wrapped key moved to another id', () => {
    const wrapped = wrapDataKey(master, 'k1', dataKey);
    expect(() => unwrapDataKey(randomBytes(32), 'k1', wrapped)).toThrow(MasterKeyMismatchError);
    expect(() => unwrapDataKey(master, 'k2', wrapped)).toThrow(MasterKeyMismatchError);
  });

  it('checks a master key by a value from which the key cannot be read', () => {
    expect(masterKeyCheck(master)).toBe(masterKeyCheck(Buffer.from(master)));
    expect(masterKeyCheck(master)).not.toBe(masterKeyCheck(randomBytes(32)));
    expect(masterKeyCheck(master)).not.toContain(master.toString('hex'));
  });
});

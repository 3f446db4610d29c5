import { createHash, createHmac, randomBytes } from 'node:crypto';
import { ReservationNames } from './reservation-names';
import { uniqueValueStreamId } from './unique-value';

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

describe('reservation stream names', () => {
  const master = randomBytes(32);
  const names = ReservationNames.fromMasterKey(master);

  it('name a value alike in every process of a deployment, differently in another project or deployment', () => {
    const name = names.streamIdOf('p', 'email', 'ada@example.com');
    expect(ReservationNames.fromMasterKey(Buffer.from(master)).streamIdOf('p', 'email', 'ada@example.com')).toBe(name);
    expect(names.streamIdOf('q', 'email', 'ada@example.com')).not.toBe(name.replace('unique-p:', 'unique-q:'));
    expect(ReservationNames.fromMasterKey(randomBytes(32)).streamIdOf('p', 'email', 'ada@example.com')).not.toBe(name);
  });

  it('show neither an address nor its plain hash: a guessed phone number cannot be confirmed without the key', () => {
    for (const [kind, value] of [['email', 'ada@example.com'], ['phone', '+15555550123'], ['push', 'device-token']] as const) {
      const name = names.streamIdOf('p', kind, value);
      expect(name).toMatch(new RegExp(`^unique-p:${kind}:[0-9a-f]{64}$`));
      expect(name).not.toContain(value);
      expect(name).not.toContain(sha256(value));
    }
  });

  it('key the hash streams had before (an older log can be renamed without the values); target ids stay plain hashes', () => {
    const key = randomBytes(32);
    expect(uniqueValueStreamId('p', 'email', 'ada@example.com', key)).toBe(`unique-p:email:${createHmac('sha256', key).update(sha256('ada@example.com')).digest('hex')}`);
    expect(uniqueValueStreamId('p', 'target', 'target-1', key)).toBe(`unique-p:target:${sha256('target-1')}`);
  });
});

import * as bcryptjs from 'bcryptjs';
import { isBcryptHash, verify } from './bcrypt';

const Y = '$2y$08$PDbMtV18J1KOBI9tIYabBuyUwBrtXPGhLxCy9pWP6xkldVOKLrLKy';

describe('bcrypt verify', () => {
  it('accepts $2a$, $2b$ and $2y$', () => {
    expect(verify('secret', Y, {})).toBe(true);
    expect(verify('secret', Y.replace('$2y$', '$2a$'), {})).toBe(true);
    expect(verify('secret', Y.replace('$2y$', '$2b$'), {})).toBe(true);
  });

  it('accepts legacy $2x$ for ASCII passwords only', () => {
    expect(verify('secret', Y.replace('$2y$', '$2x$'), {})).toBe(true);
    const nonAscii = bcryptjs.hashSync('sécret', 4);
    expect(verify('sécret', nonAscii, {})).toBe(true);
    expect(verify('sécret', nonAscii.replace(/^\$2.\$/, '$2x$'), {})).toBe(false);
  });

  it('only looks at the first 72 bytes', () => {
    const long = 'a'.repeat(72);
    const h = bcryptjs.hashSync(long, 4);
    expect(verify(long + 'ignored', h, {})).toBe(true);
  });

  it('is false for malformed strings and other crypt(3) formats', () => {
    for (const h of [Y.slice(0, -1), Y + 'x', Y.replace('$08$', '$8$'), Y.replace('$08$', '$03$'), Y.replace('$08$', '$32$'), '$2z$' + Y.slice(4), '$1$saltsalt$abcdefghijklmnopqrstuv', '']) {
      expect(isBcryptHash(h)).toBe(false);
      expect(verify('secret', h, {})).toBe(false);
    }
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const dirs = (folder: string) => readdirSync(join(ROOT, folder), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

describe('workspace', () => {
  const libs = dirs('libs').filter((l) => existsSync(join(ROOT, 'libs', l, 'src')));

  it('every lib has one public entry point', () => {
    for (const lib of libs) expect(existsSync(join(ROOT, 'libs', lib, 'src', 'index.ts'))).toBe(true);
  });

  it('nest-cli.json lists every app and every lib', () => {
    const projects = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')).projects as Record<string, { type: string; root: string }>;
    const listed = Object.values(projects).map((p) => p.root).sort();
    expect(listed).toEqual([...dirs('apps').map((a) => `apps/${a}`), ...libs.map((l) => `libs/${l}`)].sort());
  });

  it('no test helper lives under src/', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(testing|fake|fixtures?)\.ts$/.test(entry.name) || (/\.ts$/.test(entry.name) && !/\.(spec|e2e)\.ts$/.test(entry.name) && /\b(describe|expect)\(/.test(readFileSync(path, 'utf8')))) offenders.push(path);
      }
    };
    for (const top of ['apps', ...libs.map((l) => `libs/${l}`)]) {
      const src = top.startsWith('libs/') ? join(ROOT, top, 'src') : join(ROOT, top);
      walk(src);
    }
    expect(offenders).toEqual([]);
  });
});

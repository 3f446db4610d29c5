import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * The JavaScript of one of this repository's modules, as a worker thread must load it: the file
 * itself when it runs compiled, its twin under dist/ when the caller runs from the TypeScript
 * sources (ts-jest), which a worker thread cannot load.
 */
export function compiledModule(file: string): string {
  if (!file.endsWith('.ts')) return file;
  let root = dirname(file);
  while (!existsSync(join(root, 'package.json'))) {
    const up = dirname(root);
    if (up === root) throw new Error(`No package.json above ${file}: cannot find its compiled JavaScript`);
    root = up;
  }
  const compiled = join(root, 'dist', relative(root, file)).replace(/\.ts$/, '.js');
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run \`npm run build\` first (a worker thread runs the compiled JavaScript, also when its caller runs from sources)`);
  return compiled;
}

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensurePythonVenv, execPython } from '../../../test/support/python-venv';
import { VERIFIERS, verifyStored } from './verify-stored';

/*
 * Fresh vectors from tools that share no code with ours (test/python/hash_vectors.py: pyca
 * bcrypt, argon2-cffi, hashlib, pyca cryptography; phpass and Firebase's scrypt written there
 * from their algorithms), with random passwords, salts and parameters on every run. The venv is
 * built once from PyPI into .cache/python-venv; without python3 or PyPI this suite FAILS.
 * A failure names the seed: `python test/python/hash_vectors.py generate --seed N` replays it.
 */

const ROOT = resolve(__dirname, '../../..');
const SCRIPT = join(ROOT, 'test/python/hash_vectors.py');
const REQUIREMENTS = join(ROOT, 'test/python/hash_vectors.requirements.txt');
const PUBLIC_VECTORS = join(__dirname, '..', 'test', 'hash-vectors.json');

interface Generated {
  id: string;
  algorithm: string;
  password: string;
  wrongPassword: string;
  hash: string;
  hashOptions: Record<string, unknown>;
  expected: boolean;
  note: string;
}

async function python(args: string[]): Promise<any> {
  const { python: interpreter } = await ensurePythonVenv('hash-vectors', REQUIREMENTS);
  const ran = await execPython(interpreter, [SCRIPT, ...args], 300_000);
  if (ran.status !== 0) throw new Error(`hash_vectors.py ${args.join(' ')} failed (exit ${ran.status}):\n${ran.stderr}`);
  return JSON.parse(ran.stdout);
}

describe('password vectors from independent Python tools', () => {
  let seed: number;
  let tools: Record<string, string>;
  let vectors: Generated[];
  beforeAll(async () => {
    ({ seed, tools, vectors } = await python(['generate']));
  }, 900_000);

  const by = (algorithm: string) => vectors.filter((v) => v.algorithm === algorithm);
  const hashes = (algorithm: string) => by(algorithm).map((v) => v.hash);

  it('covers every algorithm and every variant of password-hashes.md', () => {
    expect(Object.keys(tools).sort()).toEqual(['argon2-cffi', 'bcrypt', 'cryptography', 'openssl', 'python']);
    expect(new Set(vectors.map((v) => v.algorithm))).toEqual(new Set(Object.keys(VERIFIERS)));
    for (const prefix of ['$argon2i$v=19$', '$argon2i$v=16$', '$argon2id$v=19$', '$argon2id$v=16$', '$argon2d$', '$argon2id$v=19$m=65536,t=4,p=3$', '$2y$']) {
      expect([prefix, hashes('argon2').some((h) => h.startsWith(prefix))]).toEqual([prefix, true]);
    }
    for (const prefix of ['$2a$', '$2b$', '$2y$']) expect([prefix, hashes('bcrypt').some((h) => h.startsWith(prefix))]).toEqual([prefix, true]);
    for (const prefix of ['$P$', '$H$', '$2a$']) expect([prefix, hashes('phpass').some((h) => h.startsWith(prefix))]).toEqual([prefix, true]);
    const shaVersions = new Set(by('sha').map((v) => String(v.hashOptions.version ?? 'default').toLowerCase()));
    for (const version of ['sha1', 'sha224', 'sha256', 'sha384', 'sha512/224', 'sha512/256', 'sha512', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512', 'default']) {
      expect([version, shaVersions.has(version)]).toEqual([version, true]);
    }
    expect(by('scrypt').every((v) => Object.keys(v.hashOptions).join() === 'salt,costCpu,costMemory,costParallel,length,type')).toBe(true);
    expect(by('scryptMod').every((v) => Object.keys(v.hashOptions).join() === 'signerKey,saltSeparator,salt,type')).toBe(true);
    // Non-ASCII passwords are in the mix (UTF-8 handling, Appwrite's utf8_encode for scryptMod).
    expect(vectors.some((v) => /[^\x00-\x7f]/.test(v.password))).toBe(true);
  });

  it('every vector verifies as password-hashes.md says, and its wrong password never does', async () => {
    const mismatches: string[] = [];
    for (const v of vectors) {
      const stored = { password: v.hash, hash: v.algorithm, hashOptions: v.hashOptions };
      const right = await verifyStored(v.password, stored);
      const wrong = await verifyStored(v.wrongPassword, stored);
      if (right !== v.expected || wrong) mismatches.push(`${v.id} (${v.note}): password → ${right} (want ${v.expected}), wrong password → ${wrong}`);
    }
    expect({ seed, mismatches }).toEqual({ seed, mismatches: [] });
    expect(vectors.filter((v) => v.expected).length).toBeGreaterThanOrEqual(40);
  }, 120_000);

  it('agrees with the Python verifiers on all 40 public vectors of hash-vectors.json', async () => {
    const publicVectors: Array<{ id: string; expected: boolean }> = JSON.parse(readFileSync(PUBLIC_VECTORS, 'utf8')).vectors;
    const { results } = (await python(['check', PUBLIC_VECTORS])) as { results: Array<{ id: string; expected: boolean; python: boolean }> };
    expect(results.map((r) => r.id)).toEqual(publicVectors.map((v) => v.id));
    expect(results.length).toBe(40);
    expect(results.filter((r) => r.python !== r.expected)).toEqual([]);
  }, 300_000);
});

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
/** The Maven project of the Kotlin round: one source, a profile per SDK generation. */
export const KOTLIN_PROJECT = join(ROOT, 'test/kotlin');
export const KOTLIN_SDK_CACHE = join(ROOT, '.cache/kotlin-sdk');
/** The project's one local Maven repository, shared with test/infra/infra.sh (Kafka's jars). */
export const MAVEN_REPO = join(resolve(process.env.INFRA_CACHE_DIR ?? join(ROOT, '.cache/infra')), 'm2');
const MAIN_CLASS = 'usersservice.kotlinsdk.UsersSdkRoundKt';
const JAVA = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin/java') : 'java';

/** The Kotlin SDK generations we run (Maven profiles `sdk-<version>`): Appwrite 1.3's, and 1.6's. */
export const KOTLIN_SDKS = ['1.2.0', '6.1.0'] as const;
export type KotlinSdk = (typeof KOTLIN_SDKS)[number];

/** A compiled round: its classes and its runtime jars, made by `mvn compile` with that profile. */
export interface KotlinSdkBuild {
  sdk: KotlinSdk;
  dir: string;
  /** `online` when Maven had to reach Maven Central, `offline` when the local repository sufficed, `cached` when nothing was built. */
  built: 'cached' | 'offline' | 'online';
  ms: number;
}

export interface KotlinRound {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The JSON line the round printed (see UsersSdkRound.kt), or null when it printed none. */
  seen: Record<string, any> | null;
}

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Asynchronous on purpose: the gateway under test runs in this process and must keep answering. */
function exec(cmd: string, args: string[], timeoutMs: number): Promise<Ran> {
  return new Promise((done) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      done({ status, stdout, stderr: `${stderr}${err && status === null ? String(err) : ''}` });
    });
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** What the build depends on: the pom, every source file (by path and content) and the generation. */
function buildHash(sdk: KotlinSdk): string {
  const hash = createHash('sha256').update(`sdk=${sdk}\n`);
  for (const file of [join(KOTLIN_PROJECT, 'pom.xml'), ...filesUnder(join(KOTLIN_PROJECT, 'src'))]) {
    hash.update(`${relative(KOTLIN_PROJECT, file)}\n`).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function mvn(sdk: KotlinSdk, out: string, offline: boolean): Promise<Ran> {
  const args = ['-B', '-q', '--no-transfer-progress', '-Dstyle.color=never', `-Dmaven.repo.local=${MAVEN_REPO}`];
  if (offline) args.push('-o');
  args.push('-f', join(KOTLIN_PROJECT, 'pom.xml'), '-P', `sdk-${sdk}`, `-Dkotlin-sdk.build=${out}`, 'compile');
  return exec('mvn', args, 600_000);
}

async function requireTool(cmd: string, args: string[], what: string): Promise<void> {
  const r = await exec(cmd, args, 60_000);
  if (r.status !== 0) throw new Error(`'${cmd}' is needed for ${what} and did not run (exit ${r.status}): ${r.stderr.trim()}`);
}

/**
 * The round compiled against that SDK under .cache/kotlin-sdk/<sdk>-<hash of pom and sources>,
 * built once and reused. Maven first tries offline (the local repository holds everything after
 * the first fetch), then online. Built in a temporary folder and renamed into place, so a build that
 * dies half-way leaves nothing that looks ready. Throws, never skips, without Java, Maven or
 * Maven Central: a missing SDK is a failed test.
 */
export async function ensureKotlinSdk(sdk: KotlinSdk): Promise<KotlinSdkBuild> {
  const started = Date.now();
  const name = `${sdk}-${buildHash(sdk)}`;
  const dir = join(KOTLIN_SDK_CACHE, name);
  if (existsSync(join(dir, '.complete'))) return { sdk, dir, built: 'cached', ms: Date.now() - started };

  await requireTool(JAVA, ['-version'], 'running the Kotlin SDK');
  await requireTool('mvn', ['-B', '-q', '-v'], 'building the Kotlin SDK round');
  mkdirSync(KOTLIN_SDK_CACHE, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    let built: KotlinSdkBuild['built'] = 'offline';
    let r = await mvn(sdk, tmp, true);
    if (r.status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      built = 'online';
      r = await mvn(sdk, tmp, false);
    }
    if (r.status !== 0) throw new Error(`mvn compile -P sdk-${sdk} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    for (const want of ['classes/usersservice/kotlinsdk/UsersSdkRoundKt.class', `lib/sdk-for-kotlin-${sdk}.jar`]) {
      if (!existsSync(join(tmp, want))) throw new Error(`mvn compile -P sdk-${sdk} succeeded but left no ${want}`);
    }
    writeFileSync(join(tmp, '.complete'), `${new Date().toISOString()}\n`);
    // Earlier builds of this generation (other sources) are of no more use.
    for (const old of readdirSync(KOTLIN_SDK_CACHE)) if (old.startsWith(`${sdk}-`) && !old.includes('.tmp-')) rmSync(join(KOTLIN_SDK_CACHE, old), { recursive: true, force: true });
    renameSync(tmp, dir);
    return { sdk, dir, built, ms: Date.now() - started };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`Cannot build the Kotlin SDK ${sdk} round in ${dir} (needs Java, Maven and Maven Central, repository ${MAVEN_REPO}): ${(err as Error).message}`);
  }
}

/**
 * Runs the round with the machine's Java. The JVM is killed after `timeoutMs`, whatever it does:
 * the round bounds each SDK call itself (15 s), this bounds the whole process.
 */
export async function runKotlinRound(build: KotlinSdkBuild, endpoint: string, project: string, key: string, idPrefix: string, timeoutMs = 60_000): Promise<KotlinRound> {
  const classpath = `${join(build.dir, 'classes')}:${join(build.dir, 'lib')}/*`;
  const r = await exec(JAVA, ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', classpath, MAIN_CLASS, endpoint, project, key, idPrefix, build.sdk], timeoutMs);
  const line = r.stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  let seen: Record<string, any> | null = null;
  try {
    seen = line ? JSON.parse(line) : null;
  } catch {
    seen = null;
  }
  return { ...r, seen };
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const KEYCLOAK_VERSION = '26.7.3';
const ARTIFACT = `org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:zip`;

/**
 * Keycloak's distribution under `<root>/.cache/keycloak/keycloak-<version>/` (git-ignored), fetched
 * with Maven from Maven Central the first time and reused afterwards: the download is 170 MB and
 * the first start-dev spends half a minute re-augmenting Quarkus into lib/quarkus, which later
 * starts reuse too.
 */
export function ensureKeycloak(root: string, log: (line: string) => void): string {
  const cache = join(root, '.cache', 'keycloak');
  const home = join(cache, `keycloak-${KEYCLOAK_VERSION}`);
  if (existsSync(join(home, 'bin', 'kc.sh'))) {
    log(`Keycloak ${KEYCLOAK_VERSION}: cached in ${home}`);
    return home;
  }
  const download = join(cache, 'download');
  mkdirSync(download, { recursive: true });
  const mvn = ['-q', '-B', 'dependency:copy', `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${download}`];
  log(`Keycloak ${KEYCLOAK_VERSION}: fetching with mvn ${mvn.join(' ')}`);
  const fetched = spawnSync('mvn', mvn, { cwd: cache, encoding: 'utf8' });
  const zip = join(download, `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.zip`);
  if (fetched.error || fetched.status !== 0 || !existsSync(zip)) {
    const output = [fetched.error?.message, fetched.stdout, fetched.stderr].filter(Boolean).join('\n').trim();
    throw new Error(`mvn ${mvn.join(' ')} failed (exit ${fetched.status}):\n${output || '(no output)'}`);
  }
  // Unzipped beside the final place and renamed into it, so an interrupted unzip never passes
  // for a complete distribution on the next run.
  const partial = join(cache, `.unzip-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  const unzipped = spawnSync('unzip', ['-q', zip, '-d', partial], { encoding: 'utf8' });
  if (unzipped.error || unzipped.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`unzip ${zip} failed: ${unzipped.error?.message ?? unzipped.stderr}`);
  }
  const [top] = readdirSync(partial);
  rmSync(home, { recursive: true, force: true });
  renameSync(join(partial, top), home);
  rmSync(partial, { recursive: true, force: true });
  // Maven keeps its own copy in ~/.m2, so a later re-fetch does not touch the network.
  rmSync(download, { recursive: true, force: true });
  log(`Keycloak ${KEYCLOAK_VERSION}: unzipped into ${home}`);
  return home;
}

/** The first line of `java -version` for the java kc.sh picks (JAVA_HOME first, then PATH). */
export function javaVersion(): string {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const out = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) throw new Error(`${java} -version failed: ${out.error?.message ?? out.stderr}`);
  return (out.stderr || out.stdout).split('\n')[0].trim();
}

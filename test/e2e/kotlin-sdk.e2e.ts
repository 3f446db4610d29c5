import { ensureKotlinSdk, KOTLIN_SDKS, KotlinSdk, KotlinSdkBuild, runKotlinRound } from '../support/kotlin-sdk';
import { startTestStack, TEST_KEY, TEST_PROJECT, TestStack } from '../support/test-stack';

/**
 * The real Kotlin SDK (`io.appwrite:sdk-for-kotlin` from Maven Central, on the machine's Java)
 * against the gateway: 1.2.0, the generation of Appwrite 1.3, and 6.1.0, of Appwrite 1.6. A small
 * Kotlin main (test/kotlin) does one round and prints a JSON line of what the SDK returned; this
 * suite asserts on it. The builds are cached in .cache/kotlin-sdk; without Java, Maven or Maven
 * Central this suite fails, it does not skip. A hung SDK is a failed step (the round bounds each
 * call), and the JVM is killed if it outlives its timeout.
 */

/** What each generation sends, and how its Query.equal("email", [email]) reaches the wire. */
const GENERATIONS: Record<KotlinSdk, { responseFormat: string; listQuery: (email: string) => string }> = {
  '1.2.0': { responseFormat: '1.0.0', listQuery: (email) => `equal("email", ["${email}"])` },
  '6.1.0': { responseFormat: '1.6.0', listQuery: (email) => JSON.stringify({ method: 'equal', attribute: 'email', values: [email] }) },
};

const builds = new Map<KotlinSdk, KotlinSdkBuild>();
let gw: TestStack;

beforeAll(async () => {
  // One at a time: two Kotlin compilers at once on a 2-core machine are no faster, and they share one Maven repository.
  for (const sdk of KOTLIN_SDKS) builds.set(sdk, await ensureKotlinSdk(sdk));
  gw = await startTestStack();
}, 900_000);
afterAll(() => gw?.close());

describe.each(KOTLIN_SDKS)('Kotlin SDK %s', (sdk) => {
  it('creates, gets, lists by email, renames and deletes a user; a get after that throws AppwriteException 404 user_not_found', async () => {
    const prefix = `kotlin-${sdk.replace(/\W/g, '')}`;
    const userId = `${prefix}-kt`;
    const email = `${userId}@kotlin.example`;
    const run = await runKotlinRound(builds.get(sdk)!, gw.endpoint, TEST_PROJECT, TEST_KEY, prefix);
    if (!run.seen) throw new Error(`The Kotlin round printed no JSON line (exit ${run.status}):\n${run.stdout}${run.stderr}`);

    const user = (name: string) => ({ id: userId, name, email, status: true });
    // One comparison of the whole report: a failing step shows up as `failedAt` and `error` in the diff.
    expect({ ...run.seen, exit: run.status }).toEqual({
      generation: sdk,
      sdkHeaders: { sdkVersion: sdk, responseFormat: GENERATIONS[sdk].responseFormat },
      created: user('Kot Lin'),
      modelFields: expect.arrayContaining(['id', 'name', 'email', 'status', 'prefs', ...(sdk === '6.1.0' ? ['labels', 'mfa', 'targets', 'accessedAt'] : [])]),
      fetched: user('Kot Lin'),
      listQuery: GENERATIONS[sdk].listQuery(email),
      listed: { total: 1, ids: [userId] },
      renamed: user('Kot Renamed'),
      deleted: true,
      getAfterDelete: { code: 404, type: 'user_not_found', message: expect.any(String) },
      uncaught: [],
      exit: 0,
    });
  }, 90_000);
});

import { ensurePythonSdk, PYTHON_SDKS, PythonSdk, runPythonChecks } from '../support/python-sdk';
import { startTestStack, TEST_KEY, TEST_PROJECT, TestStack } from '../support/test-stack';

/**
 * The real Python SDK (`appwrite` on PyPI) against the gateway, every method of its Users
 * service: the generation of Appwrite 1.3 (2.0.2, format 1.0.0, dicts that must have exactly the
 * 1.3 shapes) and the newest (27.0.0, format 2.5.0, pydantic models that must parse every answer).
 * Each script (test/python/users_sdk_*_all.py) prints one JSON line per named check; a failure
 * here lists the checks that failed with their errors. The SDK reads `Content-Type` on every
 * answer, 204s included. The venvs are cached in .cache/python-sdk; without python3 or PyPI this
 * suite fails, it does not skip.
 */
const SCRIPTS: Record<PythonSdk, string> = { '2.0.2': 'users_sdk_v2_all.py', latest: 'users_sdk_latest_all.py' };
const SDKS = Object.keys(PYTHON_SDKS) as PythonSdk[];
const interpreters = new Map<PythonSdk, { python: string; version: string }>();
let gw: TestStack;

beforeAll(async () => {
  for (const sdk of SDKS) interpreters.set(sdk, await ensurePythonSdk(sdk));
  gw = await startTestStack();
}, 900_000);
afterAll(() => gw?.close());

describe.each(SDKS)('Python SDK %s, every Users method', (sdk) => {
  it(`runs ${SCRIPTS[sdk]} with every check passing`, async () => {
    const { python, version } = interpreters.get(sdk)!;
    if (sdk === 'latest') expect(version).toBe(PYTHON_SDKS.latest.split('==')[1]);
    const run = await runPythonChecks(python, SCRIPTS[sdk], { endpoint: gw.endpoint, project: TEST_PROJECT, key: TEST_KEY, prefix: `py${sdk.replace(/\W/g, '')}` });
    if (process.env.PYTHON_SDK_REPORT) console.log(JSON.stringify({ sdk, version, summary: run.summary, failed: run.failed, notes: run.notes, warnings: run.warnings }, null, 2));

    expect(run.other).toBe(''); // no traceback: the script got to its end
    expect(run.summary).not.toBeNull();
    expect(run.failed).toEqual([]);
    expect(run.summary!.methods_failing).toEqual([]);
    expect(run.checks.find((c) => c.check === 'coverage')).toMatchObject({ ok: true });
    expect(run.status).toBe(0);
  }, 300_000);
});

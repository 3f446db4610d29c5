import { ensurePythonSdk, PYTHON_SDKS, PythonSdk, runPythonSmoke } from '../support/python-sdk';
import { startTestGateway, TEST_KEY, TEST_PROJECT, TestGateway } from '../support/test-gateway';

/**
 * The real Python SDK (`appwrite` on PyPI) against the gateway: the generation of Appwrite 1.3
 * and the newest. It reads `Content-Type` on every answer, 204s included. The venvs are cached
 * in .cache/python-sdk; without python3 or PyPI this suite fails, it does not skip.
 */
const SDKS = Object.keys(PYTHON_SDKS) as PythonSdk[];
const interpreters = new Map<PythonSdk, { python: string; version: string }>();
let gw: TestGateway;

beforeAll(async () => {
  for (const sdk of SDKS) interpreters.set(sdk, await ensurePythonSdk(sdk));
  gw = await startTestGateway();
}, 900_000);
afterAll(() => gw?.close());

describe.each(SDKS)('Python SDK %s', (sdk) => {
  it('creates, gets, renames, lists, deletes sessions and deletes a user', async () => {
    const { python, version } = interpreters.get(sdk)!;
    const run = await runPythonSmoke(python, gw.endpoint, TEST_PROJECT, TEST_KEY, `py-${sdk.replace(/\W/g, '')}`);
    expect({ sdk, version, status: run.status, output: run.output.trim() }).toEqual({ sdk, version, status: 0, output: 'python sdk smoke: ok' });
  }, 120_000);
});

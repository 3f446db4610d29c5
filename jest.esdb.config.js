/**
 * The embedded end-to-end suites with the EventStoreDB adapter: the gateway runs in this process
 * with EVENT_STORE=eventstoredb over the in-process double of the client and server
 * (libs/event-store/test/fake-eventstoredb-client.ts), one double per gateway. `npm run test:esdb`.
 */
const base = require('./jest.config');
module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    // These run dist/ processes (a restart, the keys CLI, the README's commands) that open the
    // event log themselves: an in-process double lives and dies with this process.
    '<rootDir>/test/e2e/restart-persistence.e2e.ts',
    '<rootDir>/test/e2e/keys-cli.e2e.ts',
    '<rootDir>/test/e2e/readme.e2e.ts',
    '<rootDir>/test/e2e/build-if-changed.e2e.ts',
    '<rootDir>/test/e2e/safe-writes-crash.e2e.ts',
    // Restarts the service and replays the log from another process.
    '<rootDir>/test/e2e/erasure.e2e.ts',
    // Runs a log file of the previous version, the copy CLI and the gateway as processes; the
    // copy's EventStoreDB side is covered over the double in apps/projector/src/cli/log-copy.int.spec.ts.
    '<rootDir>/test/e2e/migrate-log.e2e.ts',
  ],
};

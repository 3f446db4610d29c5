/**
 * The distributed stack: gateway, projector and hasher as separate processes on Kafka and
 * FerretDB (`npm run infra:up`). The SDK suites of test/e2e run unchanged against it, plus
 * the fault tests of test/distributed. One suite at a time: each starts three processes.
 */
const base = require('./jest.config');
module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: [
    '<rootDir>/test/e2e/users-sdk.e2e.ts',
    '<rootDir>/test/e2e/users-sdk-latest.e2e.ts',
    '<rootDir>/test/e2e/http-errors.e2e.ts',
    '<rootDir>/test/e2e/concurrency.e2e.ts',
    '<rootDir>/test/e2e/teams.e2e.ts',
    '<rootDir>/test/e2e/teams-sdk.e2e.ts',
    '<rootDir>/test/e2e/account.e2e.ts',
    '<rootDir>/test/e2e/server-sessions.e2e.ts',
    '<rootDir>/test/e2e/legacy-logins.e2e.ts',
    '<rootDir>/test/e2e/user-lifecycle.e2e.ts',
    '<rootDir>/test/e2e/response-formats.e2e.ts',
    '<rootDir>/test/e2e/targets-and-mfa.e2e.ts',
    '<rootDir>/test/e2e/users-sdk-latest-all.e2e.ts',
    '<rootDir>/test/e2e/users-queries-latest.e2e.ts',
    '<rootDir>/test/e2e/python-sdk.e2e.ts',
    '<rootDir>/test/e2e/kotlin-sdk.e2e.ts',
    '<rootDir>/test/e2e/graphql.e2e.ts',
    '<rootDir>/test/e2e/graphql-seed.e2e.ts',
    '<rootDir>/test/e2e/key-revocation.e2e.ts',
    '<rootDir>/test/e2e/user-history.e2e.ts',
    '<rootDir>/test/e2e/safe-writes.e2e.ts',
    '<rootDir>/test/e2e/safe-writes-crash.e2e.ts',
    '<rootDir>/test/e2e/metrics.e2e.ts',
    '<rootDir>/test/e2e/bulk-moves.e2e.ts',
    '<rootDir>/test/e2e/erasure.e2e.ts',
    '<rootDir>/test/distributed/**/*.e2e.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 180000,
};

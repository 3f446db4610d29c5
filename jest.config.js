/**
 * Unit, integration and end-to-end tests. Specs are named by level: `*.unit.spec.ts` (pure, no
 * I/O: `npm run test:unit`), `*.int.spec.ts` (real SQLite files, MongoDB-protocol server, Kafka),
 * `*.e2e.ts` (the real gateway over loopback). `npm test` builds first: e2e suites start dist/ processes.
 */
const moduleNameMapper = {
  '^@lib/([^/]+)/testing$': '<rootDir>/libs/$1/test/index.ts',
  '^@lib/([^/]+)$': '<rootDir>/libs/$1/src/index.ts',
};
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e.ts'],
  // Suites that need the three-process stack run in `npm run test:distributed` (jest.distributed.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/distributed/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testTimeout: 60000,
  maxWorkers: 2,
};

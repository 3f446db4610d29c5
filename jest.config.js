/** Unit, contract and end-to-end tests. `npm test` builds first: e2e suites start dist/ processes. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e.ts'],
  // Suites that need the three-process stack run in `npm run test:distributed` (jest.distributed.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/distributed/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  maxWorkers: 2,
};

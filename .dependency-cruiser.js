/** Dependency rules of the project; `npm run deps:check` (part of `npm test`) enforces them. */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import cycles, between files or libs.', from: {}, to: { circular: true } },
    { name: 'no-lib-to-app', severity: 'error', comment: 'Apps are wiring; libs never import them.', from: { path: '^libs/' }, to: { path: '^apps/' } },
    {
      name: 'entry-point-only',
      severity: 'error',
      comment: "Another lib is imported through its entry point (@lib/<name>), never its files.",
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/(src|test)/(?!index\\.ts$)', pathNot: '^libs/$1/' },
    },
    {
      name: 'entry-point-only-outside-libs',
      severity: 'error',
      from: { path: '^(apps|test)/' },
      to: { path: '^libs/[^/]+/(src|test)/(?!index\\.ts$)', pathNot: '\\.json$' },
    },
    {
      name: 'kernel-without-framework',
      severity: 'error',
      comment: 'The event-sourcing kernel imports no framework and no storage driver.',
      from: { path: '^libs/event-sourcing/src/' },
      to: { dependencyTypes: ['npm'], path: '(@nestjs|fastify|better-sqlite3|mongodb|kafkajs|@eventstore)' },
    },
    {
      name: 'adapters-apart',
      severity: 'error',
      comment: 'A SQLite adapter and a MongoDB adapter never import each other.',
      from: { path: '/sqlite/' },
      to: { path: '/mongodb/' },
    },
    {
      name: 'adapters-apart-2',
      severity: 'error',
      from: { path: '/mongodb/' },
      to: { path: '/sqlite/' },
    },
    {
      name: 'account-from-above-only',
      severity: 'error',
      comment: 'The Account context sits beside users and projects: only platform, messaging, apps and tests import it.',
      from: { path: '^libs/', pathNot: '^libs/(account|platform|messaging)/' },
      to: { path: '^libs/account/' },
    },
    {
      name: 'teams-from-above-only',
      severity: 'error',
      comment: 'The Teams context sits above users: only platform, messaging, apps and tests import it.',
      from: { path: '^libs/', pathNot: '^libs/(teams|platform|messaging)/' },
      to: { path: '^libs/teams/' },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      comment: 'Production code never imports test helpers.',
      from: { path: '^(apps|libs/[^/]+/src)/', pathNot: '\\.(spec|e2e)\\.ts$' },
      to: { path: '^(libs/[^/]+/test|test)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|node_modules|\\.cache)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

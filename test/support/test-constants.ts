export const TEST_PROJECT = 'e2e-project';
export const TEST_KEY = 'e2e-secret-' + 'k'.repeat(40);

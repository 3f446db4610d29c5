export const TEST_PROJECT = 'e2e-project';
export const TEST_KEY = 'e2e-secret-' + 'k'.repeat(40);
/** The master key of every test stack (DATA_ENCRYPTION_KEY): tests can name reservation streams as the service does. */
export const TEST_DATA_ENCRYPTION_KEY = Buffer.alloc(32, 0x5e).toString('base64');

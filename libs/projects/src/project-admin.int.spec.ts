import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@lib/event-store';
import { projectStreamId } from './project.decider';
import { hashApiKeySecret } from './api-key-authenticator';
import { ApiKeyNotCreatedError, ProjectAdmin } from './project-admin';
import { ProjectRuleError } from './project.decider';

describe('ProjectAdmin', () => {
  let dir: string;
  let events: SqliteEventStore;
  let admin: ProjectAdmin;
  const streamTypes = async (projectId: string) => (await events.readStream(projectStreamId(projectId))).map((e) => e.type);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'project-admin-'));
    events = new SqliteEventStore(join(dir, 'events.sqlite'));
    admin = new ProjectAdmin(events);
  });
  afterEach(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a project once: a position the first time, null after', async () => {
    expect(await admin.projectExists('p1')).toBe(false);
    expect(await admin.ensureProject('p1')).toEqual(expect.any(String));
    expect(await admin.ensureProject('p1')).toBeNull();
    expect(await admin.projectExists('p1')).toBe(true);
    expect(await streamTypes('p1')).toEqual(['ProjectCreated']);
  });

  it('creates a key: its id, a generated 256-hex secret, the position; only the hash is stored', async () => {
    await admin.ensureProject('p1');
    const key = await admin.createKey('p1', { name: 'ci', scopes: ['users.read'], expire: null });
    expect(key).toEqual({ keyId: expect.stringMatching(/^[0-9a-f]{20}$/), secret: expect.stringMatching(/^[0-9a-f]{256}$/), position: expect.any(String) });
    const created = (await events.readStream(projectStreamId('p1'))).find((e) => e.type === 'ApiKeyCreated')!;
    expect(created.position).toBe(key.position);
    expect(created.data).toEqual({ keyId: key.keyId, name: 'ci', secretHash: hashApiKeySecret(key.secret), scopes: ['users.read'], expire: null });
    expect(JSON.stringify(created)).not.toContain(key.secret);
  });

  it('refuses a key in a project that does not exist, and writes nothing', async () => {
    await expect(admin.createKey('nosuch', { name: 'x', scopes: ['users.read'] })).rejects.toThrow(new ProjectRuleError('project does not exist'));
    expect(await streamTypes('nosuch')).toEqual([]);
  });

  it('throws ApiKeyNotCreatedError, not a key id, when the same secret is already active', async () => {
    await admin.ensureProject('p1');
    const first = await admin.createKey('p1', { name: 'a', scopes: ['users.read'], secret: 'same-secret' });
    const second = admin.createKey('p1', { name: 'b', scopes: ['users.write'], secret: 'same-secret', keyId: 'second' });
    await expect(second).rejects.toBeInstanceOf(ApiKeyNotCreatedError);
    await expect(second).rejects.toMatchObject({ projectId: 'p1', reason: 'secret_already_active', activeKeyId: first.keyId });
    await expect(second).rejects.toThrow(/same secret is already active/);
    expect(await streamTypes('p1')).toEqual(['ProjectCreated', 'ApiKeyCreated']);
  });

  it('lets a revoked key’s secret be used again', async () => {
    await admin.ensureProject('p1');
    const first = await admin.createKey('p1', { name: 'a', scopes: ['users.read'], secret: 'reused' });
    expect(await admin.revokeKey('p1', first.keyId)).toEqual(expect.any(String));
    const again = await admin.createKey('p1', { name: 'a2', scopes: ['users.read'], secret: 'reused' });
    expect(again.keyId).not.toBe(first.keyId);
    expect(again.position).toEqual(expect.any(String));
  });

  it('ensureKey (the start-up bootstrap) is idempotent: a position the first time, null once the secret is active', async () => {
    await admin.ensureProject('p1');
    const options = { name: 'bootstrap', scopes: ['users.read', 'users.write'], secret: 'boot' };
    expect(await admin.ensureKey('p1', options)).toEqual(expect.any(String));
    expect(await admin.ensureKey('p1', options)).toBeNull();
    expect(await streamTypes('p1')).toEqual(['ProjectCreated', 'ApiKeyCreated']);
    await expect(admin.ensureKey('nosuch', options)).rejects.toThrow('project does not exist');
  });

  it('refuses unknown scopes and a taken key id', async () => {
    await admin.ensureProject('p1');
    await expect(admin.createKey('p1', { name: 'x', scopes: ['users.read', 'databases.write'] })).rejects.toThrow('unknown scopes: databases.write');
    await admin.createKey('p1', { name: 'x', scopes: ['users.read'], keyId: 'k1' });
    await expect(admin.createKey('p1', { name: 'y', scopes: ['users.read'], keyId: 'k1' })).rejects.toThrow('key k1 exists');
  });

  it('turns the login re-hash off and on again (on by default); a repeat changes nothing', async () => {
    await admin.ensureProject('p1');
    expect(await admin.loginRehash('p1')).toBe(true);
    expect(await admin.setLoginRehash('p1', true)).toBeNull();
    expect(await admin.setLoginRehash('p1', false)).toEqual(expect.any(String));
    expect(await admin.loginRehash('p1')).toBe(false);
    expect(await admin.setLoginRehash('p1', false)).toBeNull();
    expect(await admin.setLoginRehash('p1', true)).toEqual(expect.any(String));
    expect(await streamTypes('p1')).toEqual(['ProjectCreated', 'ProjectLoginRehashChanged', 'ProjectLoginRehashChanged']);
    await expect(admin.setLoginRehash('nosuch', false)).rejects.toThrow('project does not exist');
  });
});

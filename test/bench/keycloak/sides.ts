/**
 * The two services under the same load, each asked for the same thing in its own API: make a
 * user (unique username and email, a name), read one by id, search for one by a word that
 * matches exactly one user on both (both match the last word as a prefix: Keycloak's default
 * search, Appwrite's full-text `search*`; the seed names have a fixed width, so none is the prefix of another).
 */
export type Operation = 'create' | 'get' | 'search';

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Side {
  name: string;
  url: string;
  /** The next request of an operation; creates never repeat a username, reads go round the seeded users. */
  next(op: Operation): BenchRequest;
  seed(count: number, concurrency: number): Promise<void>;
}

export const seedName = (i: number) => `s${String(i).padStart(7, '0')}`;
/** Fixed width here too: Keycloak refuses usernames shorter than 3 characters (400 error-invalid-length). */
const createName = (i: number) => `c${String(i).padStart(7, '0')}`;

async function parallel(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function send(url: string, req: BenchRequest): Promise<Response> {
  const res = await fetch(url + req.path, { method: req.method, headers: req.headers, body: req.body });
  if (res.status >= 300) throw new Error(`${req.method} ${url}${req.path} → ${res.status} ${await res.text()}`);
  return res;
}

export class OurSide implements Side {
  readonly name = 'ours';
  private created = 0;
  private reads = 0;
  private seeded = 0;
  private readonly headers: Record<string, string>;

  constructor(readonly url: string, project: string, key: string) {
    this.headers = { 'content-type': 'application/json', 'x-appwrite-project': project, 'x-appwrite-key': key };
  }

  private create(username: string): BenchRequest {
    return { method: 'POST', path: '/v1/users', headers: this.headers, body: JSON.stringify({ userId: username, email: `${username}@bench.io`, name: `Bench ${username}` }) };
  }

  next(op: Operation): BenchRequest {
    if (op === 'create') return this.create(createName(this.created++));
    const user = seedName(this.reads++ % this.seeded);
    return { method: 'GET', path: op === 'get' ? `/v1/users/${user}` : `/v1/users?search=${user}`, headers: this.headers };
  }

  async seed(count: number, concurrency: number): Promise<void> {
    await parallel(count, concurrency, async (i) => {
      await (await send(this.url, this.create(seedName(i)))).arrayBuffer();
    });
    this.seeded = count;
  }
}

/**
 * Keycloak's admin API with a bearer token of the master realm's admin (admin-cli, password
 * grant). Such tokens live 60 s and a run is longer than that with seeding, so the token is
 * replaced in the background at a third of its lifetime; every request reads the current one.
 */
export class AdminToken {
  current = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly url: string, private readonly username: string, private readonly password: string) {}

  async start(): Promise<void> {
    const lifetime = await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => process.stderr.write(`keycloak admin token refresh failed: ${String(err)}\n`));
    }, (lifetime * 1000) / 3);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async refresh(): Promise<number> {
    const form = new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: this.username, password: this.password });
    const res = await fetch(`${this.url}/realms/master/protocol/openid-connect/token`, { method: 'POST', body: form });
    if (res.status !== 200) throw new Error(`admin token: ${res.status} ${await res.text()}`);
    const token = (await res.json()) as { access_token: string; expires_in: number };
    this.current = token.access_token;
    return token.expires_in;
  }
}

export class KeycloakSide implements Side {
  readonly name = 'keycloak';
  private created = 0;
  private reads = 0;
  /** Keycloak picks user ids (UUIDs); the seeded ones, from the Location of each create. */
  private readonly ids: string[] = [];

  constructor(readonly url: string, private readonly realm: string, private readonly token: AdminToken) {}

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', authorization: `Bearer ${this.token.current}` };
  }

  private create(username: string): BenchRequest {
    const body = { username, email: `${username}@bench.io`, firstName: 'Bench', lastName: username, enabled: true };
    return { method: 'POST', path: `/admin/realms/${this.realm}/users`, headers: this.headers(), body: JSON.stringify(body) };
  }

  next(op: Operation): BenchRequest {
    if (op === 'create') return this.create(createName(this.created++));
    const i = this.reads++ % this.ids.length;
    const path = op === 'get' ? `/admin/realms/${this.realm}/users/${this.ids[i]}` : `/admin/realms/${this.realm}/users?search=${seedName(i)}`;
    return { method: 'GET', path, headers: this.headers() };
  }

  async createRealm(): Promise<void> {
    await send(this.url, { method: 'POST', path: '/admin/realms', headers: this.headers(), body: JSON.stringify({ realm: this.realm, enabled: true }) });
  }

  async seed(count: number, concurrency: number): Promise<void> {
    await parallel(count, concurrency, async (i) => {
      const res = await send(this.url, this.create(seedName(i)));
      await res.arrayBuffer();
      const location = res.headers.get('location') ?? '';
      this.ids[i] = location.slice(location.lastIndexOf('/') + 1);
      if (!this.ids[i]) throw new Error(`create ${seedName(i)}: no Location header`);
    });
  }

  /** What the server says it runs on (GET /admin/serverinfo), rather than what was meant to start. */
  async systemInfo(): Promise<{ version: string; javaVersion: string; javaVmVersion: string; javaVendor: string; javaVm: string }> {
    const res = await send(this.url, { method: 'GET', path: '/admin/serverinfo', headers: this.headers() });
    return ((await res.json()) as { systemInfo: { version: string; javaVersion: string; javaVmVersion: string; javaVendor: string; javaVm: string } }).systemInfo;
  }
}

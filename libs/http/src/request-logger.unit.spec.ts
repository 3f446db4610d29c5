import Fastify, { LogController } from 'fastify';
import pino from 'pino';
import { lazyRequestLogger } from './request-logger';

/** A Fastify app logging through a pino logger at `level` into `lines`, with the lazy request loggers. */
function app(level: string, lines: Array<Record<string, unknown>>) {
  const parent = pino({ level, redact: { paths: ['secret'], censor: '[redacted]' } }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const children: unknown[] = [];
  const child = parent.child.bind(parent);
  parent.child = ((...args: Parameters<typeof child>) => {
    const made = child(...args);
    children.push(made);
    return made;
  }) as typeof parent.child;
  const fastify = Fastify({ loggerInstance: parent, logController: new LogController({ disableRequestLogging: true }), childLoggerFactory: lazyRequestLogger });
  fastify.get('/quiet', async () => ({ ok: true }));
  fastify.get('/verbose', { logLevel: 'debug' }, async (req) => {
    req.log.debug('at the route level');
    return { ok: true };
  });
  fastify.get('/chatty', async (req) => {
    req.log.info({ secret: 's3cr3t', step: 1 }, 'working');
    req.log.debug('below the level');
    return { ok: true };
  });
  return { fastify, children };
}

/** The children made by requests (Fastify makes one of its own at start). */
async function started(made: ReturnType<typeof app>) {
  await made.fastify.ready();
  made.children.length = 0;
  return made;
}

describe('request loggers', () => {
  it('are made only for a request that writes a line at an enabled level', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const { fastify, children } = await started(app('warn', lines));
    expect((await fastify.inject({ method: 'GET', url: '/quiet' })).statusCode).toBe(200);
    expect((await fastify.inject({ method: 'GET', url: '/chatty' })).statusCode).toBe(200);
    await fastify.close();
    expect(children).toHaveLength(0);
    expect(lines).toEqual([]);
  });

  it("write the request's lines with its id and the parent's redaction", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const { fastify, children } = await started(app('info', lines));
    await fastify.inject({ method: 'GET', url: '/quiet' });
    const res = await fastify.inject({ method: 'GET', url: '/chatty' });
    await fastify.close();
    expect(res.statusCode).toBe(200);
    expect(children).toHaveLength(1);
    const working = lines.filter((l) => l.msg === 'working');
    expect(working).toEqual([expect.objectContaining({ reqId: expect.any(String), secret: '[redacted]', step: 1 })]);
    expect(lines.some((l) => l.msg === 'below the level')).toBe(false);
  });

  it("follow a route's own level", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const { fastify } = await started(app('warn', lines));
    await fastify.inject({ method: 'GET', url: '/verbose' });
    await fastify.close();
    expect(lines).toEqual([expect.objectContaining({ msg: 'at the route level', reqId: expect.any(String) })]);
  });
});

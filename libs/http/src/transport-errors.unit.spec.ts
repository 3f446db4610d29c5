import type { IncomingMessage } from 'node:http';
import { AppwriteException } from '@lib/appwrite';
import { clientErrorEnvelope, literalMalformedPath, rawErrorResponse, TransportError, transportErrorBody } from './transport-errors';

const url = (u: string) => literalMalformedPath({ url: u } as IncomingMessage);

describe('literalMalformedPath', () => {
  it('leaves decodable paths alone and takes the others literally, query untouched', () => {
    expect(url('/v1/users/abc?x=%zz')).toBe('/v1/users/abc?x=%zz');
    expect(url('/v1/users/a%2Db')).toBe('/v1/users/a%2Db');
    expect(url('/v1/users/%zz')).toBe('/v1/users/%25zz');
    expect(url('/v1/users/%ED%A0%80/prefs?q=%41')).toBe('/v1/users/%25ED%25A0%2580/prefs?q=%41');
    expect(decodeURIComponent(url('/v1/users/%E0%A4%A'))).toBe('/v1/users/%E0%A4%A');
  });
});

describe('envelopes of transport errors', () => {
  it('maps Node parser errors to 431, 408 or 400', () => {
    expect(clientErrorEnvelope({ code: 'HPE_HEADER_OVERFLOW' }, '1.3.8')).toEqual({ message: 'Request header fields are too large.', code: 431, type: 'general_argument_invalid', version: '1.3.8' });
    expect(clientErrorEnvelope({ code: 'ERR_HTTP_REQUEST_TIMEOUT' }, 'v').code).toBe(408);
    expect(clientErrorEnvelope({ code: 'HPE_INVALID_HEADER_TOKEN' }, 'v').code).toBe(400);
  });

  it('writes a complete HTTP/1.1 response that closes the connection', () => {
    const raw = rawErrorResponse({ message: 'é', code: 400, type: 'general_argument_invalid', version: 'v' } as never);
    const [head, body] = raw.split('\r\n\r\n');
    expect(head.split('\r\n')).toEqual([
      'HTTP/1.1 400 Bad Request',
      'cache-control: no-cache, no-store, must-revalidate',
      'expires: 0',
      'pragma: no-cache',
      'content-type: application/json; charset=UTF-8',
      `content-length: ${Buffer.byteLength(body)}`,
      'connection: close',
    ]);
    expect(JSON.parse(body)).toEqual({ message: 'é', code: 400, type: 'general_argument_invalid', version: 'v' });
  });

  it('keeps a TransportError status, makes Fastify 4xx errors 400 and hides the rest', () => {
    expect(transportErrorBody(new TransportError(413, 'Request body is too large.'), 'v')).toEqual({ message: 'Request body is too large.', code: 413, type: 'general_argument_invalid', version: 'v' });
    const fastifyError = Object.assign(new Error("'/x' is not a valid url component"), { name: 'FastifyError', statusCode: 400, code: 'FST_ERR_BAD_URL' });
    expect(transportErrorBody(fastifyError, 'v')).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    expect(transportErrorBody(new AppwriteException('user_not_found'), 'v')).toMatchObject({ code: 404, type: 'user_not_found' });
    expect(transportErrorBody(new Error('secret detail'), 'v')).toEqual({ message: 'Server Error', code: 500, type: 'general_unknown', version: 'v' });
  });
});

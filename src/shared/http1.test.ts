import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpRequest } from './http1.js';
import { MalformedRequest, RequestReader, responseBytes } from './http1.js';

interface Read {
  requests: { method: string; path: string; headers: Record<string, string>; body: string | undefined }[];
  continues: number;
}

/** Feeds the bytes to a reader in pieces of `split` bytes (0: all at once). */
function read(bytes: string, split = 0, limit = 1024): Read {
  const result: Read = { requests: [], continues: 0 };
  const reader = new RequestReader(limit, {
    onRequest: (request: HttpRequest) => result.requests.push({ ...request, body: request.body?.toString('latin1') }),
    onContinue: () => result.continues++,
  });
  const buffer = Buffer.from(bytes, 'latin1');
  const step = split || buffer.length;
  for (let at = 0; at < buffer.length; at += step) reader.push(buffer.subarray(at, at + step));
  return result;
}

const NEXT = 'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: 127.0.0.1:9001\r\n\r\n';
const RESULT = 'POST /2018-06-01/runtime/invocation/abc/response HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n{"ok":true}';

describe('RequestReader', () => {
  const cases: { name: string; bytes: string; expect: { method: string; path: string; body: string | undefined }[]; continues?: number; limit?: number }[] = [
    { name: 'a GET without a body', bytes: NEXT, expect: [{ method: 'GET', path: '/2018-06-01/runtime/invocation/next', body: '' }] },
    { name: 'a POST with Content-Length', bytes: RESULT, expect: [{ method: 'POST', path: '/2018-06-01/runtime/invocation/abc/response', body: '{"ok":true}' }] },
    {
      name: 'a result and the next poll pipelined in one write',
      bytes: RESULT + NEXT,
      expect: [
        { method: 'POST', path: '/2018-06-01/runtime/invocation/abc/response', body: '{"ok":true}' },
        { method: 'GET', path: '/2018-06-01/runtime/invocation/next', body: '' },
      ],
    },
    {
      name: 'a chunked body with extensions and trailers',
      bytes: 'POST /r HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n' + NEXT,
      expect: [
        { method: 'POST', path: '/r', body: 'hello world' },
        { method: 'GET', path: '/2018-06-01/runtime/invocation/next', body: '' },
      ],
    },
    { name: 'an empty chunked body', bytes: 'POST /r HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', expect: [{ method: 'POST', path: '/r', body: '' }] },
    { name: 'Expect: 100-continue (as curl sends for larger bodies)', bytes: 'POST /r HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}', expect: [{ method: 'POST', path: '/r', body: '{}' }], continues: 1 },
    { name: 'a body over the limit is read and dropped', bytes: 'POST /r HTTP/1.1\r\nContent-Length: 8\r\n\r\n12345678' + NEXT, limit: 4, expect: [{ method: 'POST', path: '/r', body: undefined }, { method: 'GET', path: '/2018-06-01/runtime/invocation/next', body: '' }] },
    { name: 'HTTP/1.0', bytes: 'GET /x HTTP/1.0\r\n\r\n', expect: [{ method: 'GET', path: '/x', body: '' }] },
  ];
  for (const c of cases) {
    for (const split of [0, 1, 3, 7]) {
      it(`reads ${c.name}${split ? ` arriving ${String(split)} byte(s) at a time` : ''}`, () => {
        const result = read(c.bytes, split, c.limit);
        assert.deepEqual(
          result.requests.map(({ method, path, body }) => ({ method, path, body })),
          c.expect,
        );
        assert.equal(result.continues, c.continues ?? 0);
      });
    }
  }

  it('keeps header names in lowercase and the first of repeated headers', () => {
    const [request] = read('POST /r HTTP/1.1\r\nLambda-Runtime-Function-Error-Type: Custom.Error\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 0\r\n\r\n').requests;
    assert.equal(request.headers['lambda-runtime-function-error-type'], 'Custom.Error');
    assert.equal(request.headers['x-a'], '1');
  });

  it('stops at a head its owner does not accept, keeping that request and everything after it', () => {
    const seen: string[] = [];
    const reader = new RequestReader(1024, {
      onRequest: (request) => seen.push(request.path),
      onContinue: () => undefined,
      accept: (head) => head.headers.upgrade === undefined,
    });
    const upgrade = 'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n';
    reader.push(Buffer.from(RESULT + upgrade.slice(0, 10), 'latin1'));
    assert.equal(reader.released(), undefined);
    reader.push(Buffer.from(upgrade.slice(10) + NEXT, 'latin1'));
    assert.deepEqual(seen, ['/2018-06-01/runtime/invocation/abc/response']);
    assert.equal(reader.released()?.toString('latin1'), upgrade + NEXT);
    // Nothing more is read once released.
    reader.push(Buffer.from(NEXT, 'latin1'));
    assert.deepEqual(seen, ['/2018-06-01/runtime/invocation/abc/response']);
  });

  const malformed: [string, string][] = [
    ['a request line that is not HTTP', 'HELLO\r\n\r\n'],
    ['a header line without a colon', 'GET / HTTP/1.1\r\nbroken\r\n\r\n'],
    ['a Content-Length that is not a number', 'POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n'],
    ['a chunk size that is not hex', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['a chunk not followed by CRLF', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab'],
    ['a head over 16 KB', `GET / HTTP/1.1\r\nX: ${'a'.repeat(17 * 1024)}`],
    ['a head over 16 KB arriving whole', `GET / HTTP/1.1\r\nX: ${'a'.repeat(17 * 1024)}\r\n\r\n`],
  ];
  for (const [name, bytes] of malformed) {
    it(`refuses ${name}`, () => {
      assert.throws(() => read(bytes), MalformedRequest);
    });
  }
});

describe('responseBytes', () => {
  it('writes the status line, the headers and Content-Length before the body', () => {
    assert.equal(
      responseBytes(202, { 'content-type': 'application/json' }, Buffer.from('{"status":"OK"}')).toString(),
      'HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: 15\r\n\r\n{"status":"OK"}',
    );
    assert.equal(responseBytes(200, {}, Buffer.alloc(0)).toString(), 'HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
  });
});

/**
 * The edge's fast path over raw sockets: what node:http did for AWS API calls it must still do (answers in
 * order, Expect: 100-continue, chunked bodies, Connection: close, limits), and the connections it hands to
 * node:http (routes of their own, HTTP/1.0, upgrades) must keep working, before and after AWS calls.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { useNimbus } from '../helpers/nimbus.js';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const SIGNED = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
const IDENTITY_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

/** A GetCallerIdentity call's bytes, with extra header lines. */
function identityCall(extra = ''): string {
  return `POST / HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/x-www-form-urlencoded\r\nauthorization: ${SIGNED}\r\ncontent-length: ${String(IDENTITY_BODY.length)}\r\n${extra}\r\n${IDENTITY_BODY}`;
}

const HEALTH = 'GET /_nimbus/health HTTP/1.1\r\nhost: localhost\r\n\r\n';

/** Parses every complete answer (Content-Length framed, 1xx without a body) at the start of `bytes`. */
function parseAnswers(bytes: string): Answer[] {
  const answers: Answer[] = [];
  let rest = bytes;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return answers;
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const status = Number(statusLine.split(' ')[1]);
    const length = status < 200 ? 0 : Number(headers['content-length'] ?? 0);
    if (rest.length < end + 4 + length) return answers;
    answers.push({ status, headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
}

/**
 * Writes `parts` one after another (each after the answers so far reach `waitFor[i]`, when given) and
 * resolves with the answers once `count` of them arrived, or when the server closes the connection.
 */
function exchange(port: number, parts: string[], count: number, waitFor: number[] = []): Promise<{ answers: Answer[]; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let next = 0;
    const sendDue = (): void => {
      while (next < parts.length && parseAnswers(received).length >= (waitFor[next] ?? 0)) socket.write(parts[next++], 'latin1');
    };
    socket.on('connect', sendDue);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const answers = parseAnswers(received);
      if (answers.length >= count) {
        socket.destroy();
        resolve({ answers, closed: false });
        return;
      }
      sendDue();
    });
    socket.on('end', () => {
      resolve({ answers: parseAnswers(received), closed: true });
    });
    socket.on('error', reject);
  });
}

describe('the edge fast path', () => {
  const nimbus = useNimbus({ maxBodyBytes: 64 * 1024 });

  it('answers pipelined AWS calls in order, each with a request id, a date and a length', async () => {
    const { answers } = await exchange(nimbus().port, [identityCall() + identityCall()], 2);
    assert.equal(answers.length, 2);
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.match(answer.body, /<GetCallerIdentityResult>/);
      assert.match(answer.headers['x-amzn-requestid'], /^[0-9a-f-]{36}$/);
      assert.ok(!Number.isNaN(Date.parse(answer.headers.date)), answer.headers.date);
      assert.equal(Number(answer.headers['content-length']), Buffer.byteLength(answer.body, 'latin1'));
    }
    assert.notEqual(answers[0].headers['x-amzn-requestid'], answers[1].headers['x-amzn-requestid']);
  });

  it('hands a connection to node:http at a request of another route, in order, and keeps serving AWS calls on it', async () => {
    // An AWS call, then a route of its own pipelined behind it, then (after both answers) another AWS call.
    const { answers } = await exchange(nimbus().port, [identityCall() + HEALTH, identityCall()], 3, [0, 2]);
    assert.deepEqual(answers.map((answer) => answer.status), [200, 200, 200]);
    assert.match(answers[0].body, /<GetCallerIdentityResult>/);
    assert.equal((JSON.parse(answers[1].body) as { status: string }).status, 'running');
    assert.match(answers[2].body, /<GetCallerIdentityResult>/);
  });

  it('hands HTTP/1.0 requests to node:http', async () => {
    const request = identityCall().replace('HTTP/1.1', 'HTTP/1.0');
    const { answers } = await exchange(nimbus().port, [request], 1);
    assert.equal(answers[0].status, 200);
    assert.match(answers[0].body, /<GetCallerIdentityResult>/);
  });

  it('sends 100 Continue before reading a body the client holds back', async () => {
    const head = identityCall('expect: 100-continue\r\n').replace(IDENTITY_BODY, '');
    const { answers } = await exchange(nimbus().port, [head, IDENTITY_BODY], 2, [0, 1]);
    assert.equal(answers[0].status, 100);
    assert.equal(answers[1].status, 200);
  });

  it('reads a chunked body', async () => {
    const chunked = identityCall('transfer-encoding: chunked\r\n')
      .replace(`content-length: ${String(IDENTITY_BODY.length)}\r\n`, '')
      .replace(IDENTITY_BODY, `10\r\n${IDENTITY_BODY.slice(0, 16)}\r\n${(IDENTITY_BODY.length - 16).toString(16)}\r\n${IDENTITY_BODY.slice(16)}\r\n0\r\n\r\n`);
    const { answers } = await exchange(nimbus().port, [chunked], 1);
    assert.equal(answers[0].status, 200);
    assert.match(answers[0].body, /<GetCallerIdentityResult>/);
  });

  it('closes the connection after an answer when the client asks', async () => {
    const { answers, closed } = await exchange(nimbus().port, [identityCall('connection: close\r\n') + identityCall()], 2);
    assert.equal(closed, true);
    assert.equal(answers.length, 1);
    assert.equal(answers[0].headers.connection, 'close');
  });

  it('answers 413 past the body limit and closes the connection', async () => {
    const body = 'x'.repeat(64 * 1024 + 1);
    const request = `POST / HTTP/1.1\r\nhost: localhost\r\nauthorization: ${SIGNED}\r\ncontent-length: ${String(body.length)}\r\n\r\n${body}`;
    const { answers, closed } = await exchange(nimbus().port, [request], 2);
    assert.equal(closed, true);
    assert.equal(answers[0].status, 413);
    assert.equal((JSON.parse(answers[0].body) as { __type: string }).__type, 'RequestEntityTooLargeException');
  });

  it('answers 400 to bytes that are not HTTP and closes the connection', async () => {
    const { answers, closed } = await exchange(nimbus().port, ['NOT HTTP AT ALL\r\n\r\n'], 2);
    assert.equal(closed, true);
    assert.equal(answers[0].status, 400);
  });

  it('hands upgrades to node:http, which refuses one no route takes', async () => {
    const upgrade = 'GET /nowhere HTTP/1.1\r\nhost: localhost\r\nconnection: upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
    const { answers } = await exchange(nimbus().port, [upgrade], 1);
    assert.equal(answers[0].status, 404);
    assert.match(answers[0].body, /No WebSocket endpoint at \/nowhere/);
  });

  describe('CORS for browser scripts, as DynamoDB answers it', () => {
    const preflight = (version: string): string =>
      `OPTIONS / ${version}\r\nhost: localhost\r\norigin: http://example.com\r\naccess-control-request-method: POST\r\naccess-control-request-headers: content-type, x-amz-target, authorization\r\n\r\n`;

    for (const version of ['HTTP/1.1', 'HTTP/1.0']) {
      it(`answers a preflight (OPTIONS with an Origin) with what it asks for (${version})`, async () => {
        const { answers } = await exchange(nimbus().port, [preflight(version)], 1);
        const [answer] = answers;
        assert.equal(answer.status, 200);
        assert.equal(answer.body, '');
        assert.equal(answer.headers['content-length'], '0');
        assert.equal(answer.headers['access-control-allow-origin'], '*');
        assert.equal(answer.headers['access-control-allow-methods'], 'POST');
        assert.equal(answer.headers['access-control-allow-headers'], 'content-type, x-amz-target, authorization');
        assert.equal(answer.headers['access-control-max-age'], '172800');
        assert.match(answer.headers['x-amzn-requestid'], /^[0-9a-f-]{36}$/);
      });
    }

    it('allows any origin on answers and errors, and exposes the headers the SDKs read', async () => {
      const call = identityCall('origin: http://example.com\r\n');
      const unknown = `POST / HTTP/1.1\r\nhost: localhost\r\norigin: http://example.com\r\ncontent-length: 0\r\n\r\n`;
      const { answers } = await exchange(nimbus().port, [call + unknown], 2);
      assert.deepEqual(answers.map((answer) => answer.status), [200, 400]);
      for (const answer of answers) {
        assert.equal(answer.headers['access-control-allow-origin'], '*');
        assert.match(answer.headers['access-control-expose-headers'], /x-amzn-RequestId/);
        assert.equal(answer.headers['access-control-max-age'], undefined);
      }
    });

    it('adds nothing without an Origin', async () => {
      const { answers } = await exchange(nimbus().port, [identityCall()], 1);
      assert.equal(Object.keys(answers[0].headers).filter((name) => name.startsWith('access-control-')).length, 0);
    });
  });
});

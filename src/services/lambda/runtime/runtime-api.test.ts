/**
 * The Runtime API server over a raw socket: what any runtime client may send, including what it should
 * not, is answered without taking Nimbus down.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RuntimeApiEvents } from './runtime-api.js';
import { RuntimeApiServer } from './runtime-api.js';

/** Sends `bytes` on a fresh connection; resolves with everything the server wrote until `until` matches or it closed. */
function exchange(address: string, bytes: string, until: RegExp): Promise<string> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), host);
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (until.test(received)) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('close', () => {
      resolve(received);
    });
    socket.on('error', reject);
    socket.write(bytes);
  });
}

describe('RuntimeApiServer', () => {
  const seen: string[] = [];
  let respondedHook: () => void = () => undefined;
  const events: RuntimeApiEvents = {
    onNext: () => seen.push('next'),
    onResponse: (requestId, payload) => {
      seen.push(`response ${requestId} ${payload.toString()}`);
      respondedHook();
    },
    onError: (requestId, error) => seen.push(`error ${requestId} ${error.errorType}`),
    onInitError: (error) => seen.push(`init-error ${error.errorType}`),
  };
  const server = new RuntimeApiServer(events);
  let address = '';
  before(async () => {
    address = await server.listen();
  });
  after(() => {
    server.close();
  });

  it('answers a request id with broken percent-encoding as an unknown one', async () => {
    const answer = await exchange(address, 'POST /2018-06-01/runtime/invocation/%zz/response HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}', /InvalidRequestID/);
    assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(answer, /"errorType":"InvalidRequestID"/);
  });

  it('answers bytes that are not HTTP with a 400 and closes the connection', async () => {
    const answer = await exchange(address, 'NOT HTTP AT ALL\r\n\r\nmore garbage\r\n\r\n', /(?!)/);
    assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.equal(answer.match(/HTTP\/1\.1/g)?.length, 1, 'one answer, then the connection ends');
  });

  it('still hands out invocations afterwards, and answers a pipelined result and next poll in one write', async () => {
    server.dispatch({ requestId: 'req-1', payload: Buffer.from('{"n":1}'), deadlineMs: 1, invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', traceId: 'Root=1-0-0' });
    const next = await exchange(address, 'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n', /\{"n":1\}$/);
    assert.match(next, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(next, /lambda-runtime-aws-request-id: req-1\r\n/);
    // The runtime posts its result and polls again at once; the 202 waits for the next invocation and leaves with it.
    const responded = new Promise<void>((resolve) => {
      respondedHook = resolve;
    });
    const both = exchange(address, 'POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nContent-Length: 4\r\n\r\n"ok"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n', /\{"n":2\}$/);
    await responded;
    server.dispatch({ requestId: 'req-2', payload: Buffer.from('{"n":2}'), deadlineMs: 1, invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', traceId: 'Root=1-0-0' });
    assert.match(await both, /^HTTP\/1\.1 202 Accepted\r\n[\s\S]*\{"status":"OK"\}HTTP\/1\.1 200 OK\r\n[\s\S]*lambda-runtime-aws-request-id: req-2\r\n/);
    assert.deepEqual(seen.filter((event) => event.startsWith('response')), ['response req-1 "ok"']);
  });
});

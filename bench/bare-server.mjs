// The ceiling for a Node edge: a server answering a fixed body, the size of Nimbus's answer, and doing
// nothing else. On node:http by default; with READER=http1, on node:net with the HTTP/1.1 reader Nimbus's
// edge itself uses for AWS calls (dist/shared/http1.js, so build first).
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';

const body = Buffer.from(process.env.BODY ?? '{}');
const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': '00000000-0000-0000-0000-000000000000' };

async function http1Server() {
  const { RequestReader, responseBytes } = await import('../dist/shared/http1.js');
  return createNetServer((socket) => {
    socket.on('error', () => socket.destroy());
    const reader = new RequestReader(1024 * 1024, {
      onRequest: () => socket.write(responseBytes(200, { ...headers, date: new Date().toUTCString() }, body)),
      onContinue: () => undefined,
    });
    socket.on('data', (chunk) => reader.push(chunk));
  });
}

function nodeHttpServer() {
  return createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { ...headers, 'content-length': body.length });
      response.end(body);
    });
  });
}

const server = process.env.READER === 'http1' ? await http1Server() : nodeHttpServer();
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});

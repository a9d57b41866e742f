// The ceiling for any Node edge: node:http answering a fixed body, the size of Nimbus's answer.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

const body = Buffer.from(process.env.BODY ?? '{}');
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': '00000000-0000-0000-0000-000000000000', 'content-length': body.length });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});

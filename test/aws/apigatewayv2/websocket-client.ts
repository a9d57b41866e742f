/**
 * Support for the WebSocket API tests: a `ws` client with an inbox of text frames (every wait bounded by a
 * timeout), and a MOCK-only API for tests that need no functions.
 */
import type { LookupFunction } from 'node:net';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { WebSocket } from 'ws';
import type { Nimbus } from '../../../src/index.js';
import { clientSettings } from '../../helpers/nimbus.js';

const WAIT_MS = 15_000;

/** Resolves *.localhost to the loopback address, as browsers do (the machine's resolver may not). */
export const localhostLookup: LookupFunction = (_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

/** Rejects when `promise` has not settled within the bound, naming what was awaited. */
export function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${String(ms)} ms waiting for ${what}`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

export interface Refusal {
  status: number;
  body: string;
}

export class TestSocket {
  private readonly inbox: string[] = [];
  private readonly waiters: ((text: string) => void)[] = [];
  private readonly closing: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    // A refused handshake or a dropped connection also reports an error; 'close' follows either way.
    socket.on('error', () => undefined);
    socket.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      const waiter = this.waiters.shift();
      if (waiter) waiter(text);
      else this.inbox.push(text);
    });
    this.closing = new Promise((resolve) => {
      socket.on('close', (code: number, reason: Buffer) => {
        resolve({ code, reason: reason.toString('utf8') });
      });
    });
  }

  /** Opens a connection, or rejects with the handshake's refusal (status and body). */
  static open(url: string, protocols: string[] = []): Promise<TestSocket> {
    const socket = new WebSocket(url, protocols, { lookup: localhostLookup });
    const opened = new Promise<TestSocket>((resolve, reject) => {
      const client = new TestSocket(socket);
      socket.once('open', () => {
        resolve(client);
      });
      socket.once('unexpected-response', (_request, response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          reject(Object.assign(new Error(`handshake refused: ${String(response.statusCode)}`), { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        });
      });
      socket.once('error', reject);
    });
    return within(opened, `the handshake to ${url}`);
  }

  /** The handshake's refusal; fails if the connection opens. */
  static async refusal(url: string): Promise<Refusal> {
    try {
      const client = await TestSocket.open(url);
      client.socket.terminate();
    } catch (error) {
      const { status, body } = error as Partial<Refusal>;
      if (status !== undefined && body !== undefined) return { status, body };
      throw error;
    }
    throw new Error(`the handshake to ${url} succeeded`);
  }

  send(data: string | Buffer): void {
    this.socket.send(data);
  }

  next(): Promise<string> {
    const queued = this.inbox.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return within(new Promise<string>((resolve) => this.waiters.push(resolve)), 'a message');
  }

  async nextJson(): Promise<Record<string, unknown>> {
    return JSON.parse(await this.next()) as Record<string, unknown>;
  }

  /** Sends a message and waits for the next one. */
  async ask(data: unknown): Promise<Record<string, unknown>> {
    this.send(typeof data === 'string' ? data : JSON.stringify(data));
    return this.nextJson();
  }

  /** The close code and reason, once the connection has closed (whoever closed it). */
  closed(): Promise<{ code: number; reason: string }> {
    return within(this.closing, 'the close');
  }

  close(code?: number): Promise<{ code: number; reason: string }> {
    this.socket.close(code);
    return this.closed();
  }
}

/**
 * A WebSocket API whose only route is a two-way MOCK `$default` on an auto-deployed stage `dev`: it
 * answers the message's `status` (200 by default) and, for a 2xx, the connection id and the message.
 */
export async function mockApi(nimbus: Nimbus): Promise<string> {
  const client = new ApiGatewayV2Client(clientSettings(nimbus));
  const api = await client.send(new CreateApiCommand({ Name: 'mock', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
  const integration = await client.send(new CreateIntegrationCommand({
    ApiId: api.ApiId, IntegrationType: 'MOCK',
    RequestTemplates: { $default: '#set($status = $input.path(\'$.status\'))\n{"statusCode": #if($status)$status#{else}200#end}' },
  }));
  await client.send(new CreateIntegrationResponseCommand({
    ApiId: api.ApiId, IntegrationId: integration.IntegrationId, IntegrationResponseKey: '/2\\d\\d/',
    ResponseTemplates: { $default: '{"connectionId": "$context.connectionId", "routeKey": "$context.routeKey"}' },
  }));
  const route = await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$default', Target: `integrations/${integration.IntegrationId!}` }));
  await client.send(new CreateRouteResponseCommand({ ApiId: api.ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }));
  await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev', AutoDeploy: true }));
  return api.ApiId!;
}

/** The path-form WebSocket URL of stage `dev`. */
export const urlOf = (nimbus: Nimbus, apiId: string): string => `${nimbus.endpoint.replace('http://', 'ws://')}/_aws/execute-api/${apiId}/dev`;

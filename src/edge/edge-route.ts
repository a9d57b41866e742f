/**
 * Routes that are not AWS API calls plug in here: Nimbus's own /_nimbus/* now; API Gateway invocations,
 * function URLs and WebSocket upgrades later. The edge asks each in order before treating a request as an
 * AWS API call.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface EdgeRoute {
  name: string;
  matches(request: IncomingMessage, url: URL): boolean;
  handle(request: IncomingMessage, response: ServerResponse, url: URL): void | Promise<void>;
}

/**
 * The API Gateway Management API: what a backend does with a WebSocket API's open connections. It
 * answers at Nimbus's endpoint and under each API's own URL (`.../{stage}/@connections/{id}`, see
 * api-url.ts); connection ids are unique across the instance, so both reach the same connections.
 *
 * Known limitations: connections live in memory (a restart or reset closes them all); the caller's
 * account is not checked against the API's (no ForbiddenException); there is no LimitExceededException
 * throttling; GoneException carries an empty message where AWS sends no body at all.
 */
import type {
  ApigatewaymanagementapiApi,
  DeleteConnectionRequest,
  GetConnectionRequest,
  GetConnectionResponse,
  PostToConnectionRequest,
} from '../../generated/apigatewaymanagementapi.js';
import { ServiceError } from '../../shared/errors.js';
import type { LiveConnection } from '../apigateway/invoke-v2/websocket/connections.js';
import { connectionRegistry, MAX_MESSAGE_BYTES } from '../apigateway/invoke-v2/websocket/connections.js';
import type { ServiceRuntime } from '../service.js';

/** PostToConnection's Data limit, the same as a client message's. */
const MAX_DATA_BYTES = MAX_MESSAGE_BYTES;

/** AWS refuses Data over 128 KB with its own error (413), not a validation error: checked before the model's constraints. */
export function checkInput(operation: string, input: Record<string, unknown>): void {
  const data = input.Data;
  if (operation === 'PostToConnection' && data instanceof Uint8Array && data.length > MAX_DATA_BYTES) {
    throw new ServiceError('PayloadTooLargeException', `Message size ${String(data.length)} bytes exceeds the ${String(MAX_DATA_BYTES)} byte limit`, 413);
  }
}

export function createManagementProvider(runtime: ServiceRuntime): ApigatewaymanagementapiApi {
  const registry = connectionRegistry(runtime);

  /** An open connection; a closed, closing or unknown one is gone (410). */
  const openConnection = (connectionId: string): LiveConnection => {
    const connection = registry.open(connectionId);
    if (!connection) throw new ServiceError('GoneException', '', 410);
    return connection;
  };

  return {
    PostToConnection(input: PostToConnectionRequest) {
      const connection = openConnection(input.ConnectionId);
      // Data goes out as one text frame, whatever its bytes.
      connection.socket.send(Buffer.from(input.Data), { binary: false });
      connection.lastActiveAt = runtime.clock.now();
      return {};
    },

    GetConnection(input: GetConnectionRequest): GetConnectionResponse {
      const connection = openConnection(input.ConnectionId);
      return {
        ConnectedAt: new Date(connection.connectedAt),
        LastActiveAt: new Date(connection.lastActiveAt),
        Identity: { SourceIp: connection.sourceIp, UserAgent: connection.userAgent },
      };
    },

    DeleteConnection(input: DeleteConnectionRequest) {
      // The close handshake ends the connection; its $disconnect route then runs as for a client's close.
      openConnection(input.ConnectionId).socket.close(1000);
      return {};
    },
  };
}

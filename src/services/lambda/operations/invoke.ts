/**
 * Invoke: synchronous (RequestResponse) and DryRun invocations of $LATEST, a version or an alias; Event
 * invocations are queued by event-invoke.ts
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html).
 */
import type { InvocationRequest, InvocationResponse, LambdaApi } from '../../../generated/lambda.js';
import type { RequestContext } from '../../../shared/request-context.js';
import { userError } from '../errors.js';
import { LATEST } from '../function-record.js';
import { logTail } from '../function-logs.js';
import type { LambdaService } from '../lambda-service.js';
import { ThrottledError } from '../runtime/pool.js';
import { MAX_RESPONSE_BYTES } from '../runtime/runtime-api.js';
import { invokeEvent } from './event-invoke.js';

/** A payload must be JSON when present; Lambda checks this before anything runs. */
function checkPayload(payload: Buffer): void {
  if (payload.length > MAX_RESPONSE_BYTES) {
    throw userError('RequestTooLargeException', `Request must be smaller than ${String(MAX_RESPONSE_BYTES)} bytes for the InvokeFunction operation`, 413);
  }
  if (payload.length === 0) return;
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw userError('InvalidRequestContentException', `Could not parse request body into json: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function invokeOperations(service: LambdaService): Partial<LambdaApi> {
  return {
    async Invoke(input: InvocationRequest, ctx: RequestContext): Promise<InvocationResponse> {
      const target = service.resolve(ctx, input.FunctionName, input.Qualifier);
      const payload = Buffer.from(input.Payload ?? Buffer.alloc(0));
      const type = input.InvocationType ?? 'RequestResponse';
      checkPayload(payload);
      if (type === 'DryRun') return { StatusCode: 204 };
      if (type === 'Event') return invokeEvent(service, input, ctx, payload);
      // Reserved concurrency lives on $LATEST: an invocation of $LATEST has it already.
      const head = target.record.version === LATEST ? target.record : service.functions(ctx).get(target.record.name);
      try {
        const result = await service.invoker.invoke(ctx, target.record, head?.reservedConcurrency, {
          payload: payload.length ? payload : Buffer.from('{}'),
          invokedArn: target.invokedArn,
          clientContext: input.ClientContext ? Buffer.from(input.ClientContext, 'base64').toString('utf8') : undefined,
          // The Invoke answer's x-amzn-RequestId is the invocation's request id, as in its logs and context.
          requestId: ctx.requestId,
        });
        return {
          StatusCode: 200,
          Payload: result.payload,
          FunctionError: result.functionError,
          LogResult: input.LogType === 'Tail' ? logTail(result.logLines) : undefined,
          ExecutedVersion: target.executedVersion,
        };
      } catch (error) {
        if (error instanceof ThrottledError) throw userError('TooManyRequestsException', 'Rate Exceeded.', 429, { Reason: error.reason });
        throw error;
      }
    },
  };
}

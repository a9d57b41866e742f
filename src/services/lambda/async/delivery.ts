/**
 * Sends invocation records to destinations and failed events to dead-letter queues through the
 * internal client, as Lambda calls those services. A record that cannot be delivered (the target
 * service is not in Nimbus yet, or the call failed) is written, whole, to the function's log stream
 * with the reason: never dropped silently, never reported as delivered.
 */
import { isServiceError } from '../../../shared/errors.js';
import { logger } from '../../../shared/log.js';
import type { ServiceRuntime } from '../../service.js';
import type { FunctionScope } from '../function-record.js';
import type { FunctionLogWriter } from '../function-logs.js';
import type { Destination, DestinationService } from './destinations.js';
import { parseDestination } from './destinations.js';
import type { DeadLetter, InvocationRecord } from './invocation-record.js';

const log = logger('lambda');

const SERVICE_NAMES: Record<DestinationService, string> = {
  lambda: 'AWS Lambda',
  sqs: 'Amazon SQS',
  sns: 'Amazon SNS',
  events: 'Amazon EventBridge',
};

/** The function whose event is being reported, and where its undeliverable records are logged. */
export interface DeliverySource {
  scope: FunctionScope;
  requestId: string;
  /** The version-qualified ARN of the function. */
  functionArn: string;
  logGroup: string;
  logStream: string;
}

interface MessageAttribute {
  DataType: 'String' | 'Number';
  StringValue: string;
}

export class DestinationDelivery {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly logs: FunctionLogWriter,
  ) {}

  async sendRecord(arn: string, record: InvocationRecord, source: DeliverySource): Promise<void> {
    const body = JSON.stringify(record);
    const destination = parseDestination(arn);
    try {
      if (!destination) throw new Error('it is not a destination Lambda supports');
      const target = { account: destination.account, region: destination.region };
      switch (destination.service) {
        case 'lambda':
          await this.runtime.client.call('lambda', 'Invoke', { FunctionName: arn, InvocationType: 'Event', Payload: Buffer.from(body) }, target);
          break;
        case 'sqs':
          await this.sendToQueue(destination, body, undefined);
          break;
        case 'sns':
          await this.runtime.client.call('sns', 'Publish', { TopicArn: arn, Message: body }, target);
          break;
        case 'events': {
          const outcome = record.requestContext.condition === 'Success' ? 'Success' : 'Failure';
          const entry = { Source: 'lambda', DetailType: `Lambda Function Invocation Result - ${outcome}`, Detail: body, EventBusName: arn, Resources: [arn, source.functionArn] };
          await this.runtime.client.call('events', 'PutEvents', { Entries: [entry] }, target);
          break;
        }
      }
    } catch (error) {
      this.reportUndelivered(source, `the invocation record to ${arn}`, destination, error, `Record: ${body}`);
    }
  }

  async sendDeadLetter(arn: string, letter: DeadLetter, source: DeliverySource): Promise<void> {
    const destination = parseDestination(arn);
    const attributes: Record<string, MessageAttribute> = {
      RequestID: { DataType: 'String', StringValue: letter.requestId },
      ErrorCode: { DataType: 'Number', StringValue: String(letter.errorCode) },
    };
    // Queues and topics reject empty attribute values.
    if (letter.errorMessage) attributes.ErrorMessage = { DataType: 'String', StringValue: letter.errorMessage };
    try {
      if (destination?.service === 'sqs') await this.sendToQueue(destination, letter.body, attributes);
      else if (destination?.service === 'sns') {
        await this.runtime.client.call('sns', 'Publish', { TopicArn: arn, Message: letter.body, MessageAttributes: attributes }, { account: destination.account, region: destination.region });
      } else throw new Error('a dead-letter queue must be an Amazon SQS queue or an Amazon SNS topic');
    } catch (error) {
      const details = `Event: ${letter.body} RequestID: ${letter.requestId} ErrorCode: ${String(letter.errorCode)} ErrorMessage: ${letter.errorMessage}`;
      this.reportUndelivered(source, `the event to the dead-letter queue ${arn}`, destination, error, details);
    }
  }

  /** SQS takes a queue URL: ask the queue's owner for it first, as an SDK would. */
  private async sendToQueue(queue: Destination, body: string, attributes: Record<string, MessageAttribute> | undefined): Promise<void> {
    const target = { account: queue.account, region: queue.region };
    const { QueueUrl } = await this.runtime.client.call<{ QueueUrl: string }>('sqs', 'GetQueueUrl', { QueueName: queue.resource, QueueOwnerAWSAccountId: queue.account }, target);
    await this.runtime.client.call('sqs', 'SendMessage', { QueueUrl, MessageBody: body, MessageAttributes: attributes }, target);
  }

  private reportUndelivered(source: DeliverySource, what: string, destination: Destination | undefined, error: unknown, content: string): void {
    let reason: string;
    if (destination && isServiceError(error) && error.code === 'NotImplemented') reason = `${SERVICE_NAMES[destination.service]} is not available in Nimbus yet`;
    else if (isServiceError(error)) reason = `${error.code}: ${error.message}`;
    else reason = error instanceof Error ? error.message : String(error);
    const summary = `Nimbus could not deliver ${what} for request ${source.requestId} because ${reason}.`;
    log.warn(summary);
    this.logs.enqueue(source.scope, source.logGroup, source.logStream, [`${summary} ${content}`], this.runtime.clock.now());
  }
}

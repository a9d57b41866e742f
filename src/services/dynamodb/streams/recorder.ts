/**
 * The StreamRecorder the DynamoDB write path calls (see ../stream-recorder.ts): it appends every change to
 * the table's durable change log inside the write's transaction. It needs nothing from the Streams service,
 * so changes are captured whether or not DynamoDB Streams has ever been called.
 */
import type { ServiceRuntime } from '../../service.js';
import type { ItemChange, StreamRecorder } from '../stream-recorder.js';
import { setStreamRecorder } from '../stream-recorders.js';
import { StreamLog, toJsonMap } from './stream-log.js';

export function createStreamRecorder(runtime: ServiceRuntime): StreamRecorder {
  return {
    record(change: ItemChange): void {
      const log = new StreamLog(runtime.store, change.account, change.region);
      log.append(
        {
          eventName: change.eventName,
          at: change.at,
          keys: toJsonMap(change.keys),
          oldImage: change.oldImage ? toJsonMap(change.oldImage) : undefined,
          newImage: change.newImage ? toJsonMap(change.newImage) : undefined,
          byTimeToLive: change.byTimeToLive || undefined,
        },
        change.tableName,
      );
    },
  };
}

/** Makes this runtime's DynamoDB write path log its changes (every service that reads streams calls it). */
export function registerStreamRecorder(runtime: ServiceRuntime): void {
  setStreamRecorder(runtime, createStreamRecorder(runtime));
}

/**
 * Where DynamoDB's write path finds the StreamRecorder for a runtime. DynamoDB Streams registers its
 * recorder here when it starts; until then every change goes to a recorder that keeps nothing.
 */
import type { ServiceRuntime } from '../service.js';
import type { StreamRecorder } from './stream-recorder.js';

const NO_RECORDER: StreamRecorder = { record: () => undefined };
const recorders = new WeakMap<ServiceRuntime, StreamRecorder>();

export function setStreamRecorder(runtime: ServiceRuntime, recorder: StreamRecorder): void {
  recorders.set(runtime, recorder);
}

export function streamRecorder(runtime: ServiceRuntime): StreamRecorder {
  return recorders.get(runtime) ?? NO_RECORDER;
}

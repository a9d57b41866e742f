/**
 * What one invocation did, gathered as it runs (usage plan check, cache hit or miss, integration
 * latency), so that once the answer is known its execution and access log lines can be written. The
 * trace hangs off the request objects, so nothing has to be threaded through the invocation code.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiRecord, StageRecord } from '../api-record.js';
import type { Invocation } from '../invoke/context.js';

export interface TraceLine {
  level: 'INFO' | 'ERROR';
  message: string;
  /** Lines with request or response data, written only when the method's dataTrace is on. */
  data: boolean;
  /** Lines of the checks before execution starts (usage plan, throttling), logged before "Starting execution". */
  admission: boolean;
}

export interface Trace {
  api: ApiRecord;
  stage: StageRecord;
  invocation: Invocation;
  lines: TraceLine[];
  /** Set when the integration ran (a cache hit does not call it). */
  integration?: { latencyMs: number; status: number };
  apiKeyId?: string;
  apiKey?: string;
}

const byRequest = new WeakMap<IncomingMessage, Trace>();
const byInvocation = new WeakMap<Invocation, Trace>();

export function beginTrace(request: IncomingMessage, invocation: Invocation, api: ApiRecord, stage: StageRecord): void {
  const trace: Trace = { api, stage, invocation, lines: [] };
  byRequest.set(request, trace);
  byInvocation.set(invocation, trace);
}

export function traceOf(invocation: Invocation): Trace | undefined {
  return byInvocation.get(invocation);
}

/** Adds an execution log line to the invocation's trace. */
export function note(invocation: Invocation, message: string, options: Partial<Omit<TraceLine, 'message'>> = {}): void {
  byInvocation.get(invocation)?.lines.push({ level: options.level ?? 'INFO', message, data: options.data ?? false, admission: options.admission ?? false });
}

/** The trace of an answered request, once; requests that never reached a stage's method have none. */
export function takeTrace(request: IncomingMessage): Trace | undefined {
  const trace = byRequest.get(request);
  byRequest.delete(request);
  return trace;
}

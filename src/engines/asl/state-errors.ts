/**
 * Error names the States Language predefines (Appendix A of
 * https://states-language.net/spec.html) and the failure type every module
 * throws while running a state.
 */
export const StatesError = {
  All: 'States.ALL',
  Runtime: 'States.Runtime',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  TaskFailed: 'States.TaskFailed',
  Permissions: 'States.Permissions',
  DataLimitExceeded: 'States.DataLimitExceeded',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  QueryEvaluationError: 'States.QueryEvaluationError',
  BranchFailed: 'States.BranchFailed',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
} as const;

/** An error as the history and the Error Output carry it. */
export interface ErrorInfo {
  /** Absent when a Fail state names no error. */
  readonly error?: string;
  readonly cause?: string;
}

interface StateFailureOptions {
  /** Text that follows AWS's "An error occurred while executing the state ..." prefix. */
  readonly detail?: string;
  /** A cause to report verbatim, without the prefix (task errors, Fail states). */
  readonly cause?: string;
  /** The JSONata field that failed, for the EvaluationFailed event. */
  readonly location?: string;
  /** The failure skips Retry and Catch (payload quota on a state's output). */
  readonly terminal?: boolean;
  /** A States.Timeout raised because heartbeats stopped, which States.HeartbeatTimeout also matches. */
  readonly heartbeat?: boolean;
}

/** A failure raised while a state runs; the engine adds the state's name and entry event. */
export class StateFailure extends Error {
  readonly error: string | undefined;
  readonly detail?: string;
  readonly verbatimCause?: string;
  readonly location?: string;
  readonly terminal: boolean;
  readonly heartbeat: boolean;

  constructor(error: string | undefined, options: StateFailureOptions) {
    super(options.detail ?? options.cause ?? error ?? 'State failure');
    this.name = 'StateFailure';
    this.error = error;
    this.detail = options.detail;
    this.verbatimCause = options.cause;
    this.location = options.location;
    this.terminal = options.terminal ?? false;
    this.heartbeat = options.heartbeat ?? false;
  }
}

export function runtimeFailure(detail: string): StateFailure {
  return new StateFailure(StatesError.Runtime, { detail });
}

export function intrinsicFailure(detail: string): StateFailure {
  return new StateFailure(StatesError.IntrinsicFailure, { detail });
}

export function queryEvaluationFailure(detail: string, location: string): StateFailure {
  return new StateFailure(StatesError.QueryEvaluationError, { detail, location });
}

/**
 * The cause AWS writes for errors the interpreter itself raises, e.g.
 * "An error occurred while executing the state 'X' (entered at the event id #2). Invalid path ...".
 */
export function causeOf(failure: StateFailure, stateName: string, enteredEventId: number): string | undefined {
  if (failure.detail !== undefined) {
    return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${failure.detail}`;
  }
  return failure.verbatimCause;
}

/** Cause of States.DataLimitExceeded, naming the state or the task resource. */
export function dataLimitCause(subject: string): string {
  return `The state/task '${subject}' returned a result with a size exceeding the maximum number of bytes service limit.`;
}

/**
 * The Amazon States Language engine: a validator for state machine
 * definitions and a step machine that runs executions
 * (https://states-language.net/spec.html).
 *
 * Pure and dependency-free: the host owns persistence, time, randomness and
 * the real task integrations. It calls startExecution, stores the returned
 * ExecutionState, performs the HostCommands, and calls resumeExecution with
 * each ExecutionSignal (task started/heartbeat/submitted/succeeded/failed, a
 * stop, or a tick once `wakeAt` has passed). JSONata needs a JsonataEvaluator
 * in the EngineEnvironment.
 *
 * Layout: engine drives frames (frame-runner) through one runner per state
 * type (run-*.ts, task-signals); state-data applies input/output processing
 * in either query language; state-transitions enters and exits states and
 * handles Retry/Catch (retry-policy); json-path, path-query, result-path,
 * payload-template, intrinsic-parser, intrinsic-functions and choice-rules
 * implement JSONPath-language features; jsonata-evaluator is the JSONata
 * seam; validate-definition, validate-state and validate-fields check
 * definitions. redrive restarts an ended execution from its unsuccessful
 * states (redriveExecution); run-distributed-map and map-run handle
 * Distributed Map and its Map Run bookkeeping, map-run-children its child
 * executions' histories (StepResult.childStarts / childEvents); an `inspect` hook in the
 * EngineEnvironment reports the data-processing stages (for TestState).
 */
export { startExecution, resumeExecution, redriveExecution } from './engine.js';
export type { StartExecutionRequest, ExecutionSignal, StepResult } from './engine.js';
export type { ChildExecutionStart, EngineEnvironment, HostCommand, ScheduleTaskCommand, CancelTaskCommand, InspectionStage, Inspector } from './step-context.js';
export type { TaskSignal } from './task-signals.js';
export type { ExecutionState, ExecutionStatus, ExecutionInfo, MapRunSummary } from './execution-state.js';
export type { MapRunUpdate } from './map-run.js';
export type { HistoryEvent, HistoryEventType, EventDetails } from './history-events.js';
export { validateDefinition } from './validate-definition.js';
export type { ValidationResult } from './validate-definition.js';
export { formatInvalidDefinition } from './validation-report.js';
export type { DefinitionDiagnostic, DiagnosticCode } from './validation-report.js';
export type { StateMachineDefinition, StateDefinition, QueryLanguage } from './definition.js';
export type { JsonataEvaluator } from './jsonata-evaluator.js';
export { stepFunctionsJsonataFunctions } from './jsonata-functions.js';
export type { StepFunctionsJsonataFunctions } from './jsonata-functions.js';
export type { JsonValue, JsonObject } from './json-value.js';
export type { IntegrationPattern, TaskKind } from './task-resource.js';
export { seededRandom } from './random-source.js';
export type { RandomSource } from './random-source.js';
export { StatesError } from './state-errors.js';

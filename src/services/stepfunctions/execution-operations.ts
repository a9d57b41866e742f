import { randomUUID } from 'node:crypto';
import type { HistoryEvent as EngineEvent, JsonValue, ScheduleTaskCommand } from '../../engines/asl/index.js';
import type { ExecutionRedriveStatus, HistoryEvent, StepfunctionsApi } from '../../generated/stepfunctions.js';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import type { ExecutionDriver } from './driver.js';
import { checkName, executionArn, executionDoesNotExist, parseStatesArn, requireArn, stateMachineDoesNotExist } from './names.js';
import { paginate } from './pagination.js';
import { redriveVerdict } from './redrive-rules.js';
import { resolveMachine } from './state-machine-versions.js';
import { executionDefinition, shareDefinition, unpackHistory } from './records.js';
import type { ExecutionRecord, ParentTask, StepFunctionsCollections } from './records.js';

type ExecutionOperations = Pick<StepfunctionsApi,
  'StartExecution' | 'StartSyncExecution' | 'DescribeExecution' | 'ListExecutions' | 'StopExecution' | 'GetExecutionHistory' |
  'DescribeStateMachineForExecution' | 'SendTaskSuccess' | 'SendTaskFailure' | 'SendTaskHeartbeat'>;

interface StartRequest {
  readonly stateMachineArn: string;
  readonly name?: string;
  readonly input?: string;
}

function parseJson(text: string, code: 'InvalidExecutionInput' | 'InvalidOutput', label: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new ServiceError(code, `Invalid ${label}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function executionOperations(runtime: ServiceRuntime, records: StepFunctionsCollections, driver: ExecutionDriver): ExecutionOperations {
  /** Stores a new execution and hands it to the driver; returns the existing one for a repeated name and input. */
  const start = (request: StartRequest, account: string, region: string, parent?: ParentTask): ExecutionRecord => {
    const { machine, version, alias } = resolveMachine(records, request.stateMachineArn, { account, region });
    const snapshot = version ?? machine;
    const name = request.name ?? randomUUID();
    checkName(name);
    const input = request.input ?? '{}';
    parseJson(input, 'InvalidExecutionInput', 'Execution Input');
    const arn = executionArn(machine.stateMachineArn, name, machine.type === 'EXPRESS');
    const existing = records.executions.get(arn);
    if (existing !== undefined) {
      // A name is idempotent for an open Standard execution with the same input
      // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
      if (existing.input === input && existing.status === 'RUNNING') return existing;
      throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const record: ExecutionRecord = {
      executionArn: arn, stateMachineArn: machine.stateMachineArn, name, type: machine.type, definitionKey: shareDefinition(records, snapshot.definition),
      roleArn: snapshot.roleArn, input, ...(version === undefined ? {} : { stateMachineVersionArn: version.stateMachineVersionArn }),
      ...(alias === undefined ? {} : { stateMachineAliasArn: alias.stateMachineAliasArn }), startDate: runtime.clock.now(), status: 'RUNNING', inflight: {}, children: {},
      ...(parent === undefined ? {} : { parent }),
      ...(snapshot.loggingConfiguration.level === 'OFF' ? {} : { logging: snapshot.loggingConfiguration }),
    };
    records.executions.put(arn, record);
    driver.launch(arn);
    return record;
  };

  driver.setChildStarter((command: ScheduleTaskCommand, parentArn: string) => {
    const parameters = typeof command.input === 'object' && command.input !== null && !Array.isArray(command.input) ? command.input : {};
    const rawInput = parameters.Input;
    const request: StartRequest = {
      stateMachineArn: typeof parameters.StateMachineArn === 'string' ? parameters.StateMachineArn : '',
      ...(typeof parameters.Name === 'string' ? { name: parameters.Name } : {}),
      input: rawInput === undefined ? '{}' : typeof rawInput === 'string' ? rawInput : JSON.stringify(rawInput),
    };
    const parsed = parseStatesArn(parentArn);
    const pattern = command.pattern === 'sync' || command.pattern === 'sync:2' ? command.pattern : undefined;
    const parent = pattern === undefined ? undefined : { executionArn: parentArn, taskId: command.taskId, pattern };
    const child = start(request, parsed?.account ?? '', command.region || (parsed?.region ?? ''), parent);
    return { executionArn: child.executionArn, startDate: child.startDate };
  });

  /**
   * Standard executions always carry redriveStatus; a reason only when they are not redrivable. A Map Run's
   * unsuccessful child is redriven by its Map Run (a redrive of the parent), not by RedriveExecution.
   */
  const redriveStatusOf = (record: ExecutionRecord): { redriveStatus: ExecutionRedriveStatus; redriveStatusReason?: string } => {
    const verdict = redriveVerdict(record, () => machineExists(record), runtime.clock.now());
    if (verdict.status === 'REDRIVABLE' && record.mapRunArn !== undefined) return { redriveStatus: 'REDRIVABLE_BY_MAP_RUN' };
    return { redriveStatus: verdict.status, ...(verdict.reason === undefined ? {} : { redriveStatusReason: verdict.reason }) };
  };

  /** A child's "machine" is its Map Run: it exists while the parent's machine does. */
  const machineExists = (record: ExecutionRecord): boolean => {
    if (record.mapRunArn === undefined) return records.stateMachines.get(record.stateMachineArn) !== undefined;
    const parentArn = records.mapRuns.get(record.mapRunArn)?.executionArn;
    const parent = parentArn === undefined ? undefined : records.executions.get(parentArn);
    return parent !== undefined && records.stateMachines.get(parent.stateMachineArn) !== undefined;
  };

  /** A Standard execution this account and region can see; Express ones are not kept (AWS logs them instead). */
  const find = (arn: string, ctx: RequestContext): ExecutionRecord => {
    requireArn(arn, 'execution', ctx.region, ctx.account);
    const record = records.executions.get(arn);
    if (record === undefined || record.type === 'EXPRESS') throw executionDoesNotExist(arn);
    return record;
  };

  const taskFor = (token: string): { executionArn: string; taskId: string } => {
    const found = records.taskTokens.get(token);
    if (found !== undefined) return found;
    if (!token.startsWith('AQ')) throw new ServiceError('InvalidToken', `Invalid Token: '${token}'`);
    throw new ServiceError('TaskDoesNotExist', 'Task Timed Out: \'Provided task does not exist anymore\'');
  };

  return {
    StartExecution(input, ctx) {
      const record = start(input, ctx.account, ctx.region);
      return { executionArn: record.executionArn, startDate: new Date(record.startDate) };
    },

    async StartSyncExecution(input, ctx) {
      const { machine } = resolveMachine(records, input.stateMachineArn, ctx);
      if (machine.type !== 'EXPRESS') throw new ServiceError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
      const started = start(input, ctx.account, ctx.region);
      const done = await driver.completion(started.executionArn);
      return {
        executionArn: done.executionArn, stateMachineArn: done.stateMachineArn, name: done.name, startDate: new Date(done.startDate),
        stopDate: new Date(done.stopDate ?? runtime.clock.now()), status: done.status === 'ABORTED' || done.status === 'RUNNING' ? 'FAILED' : done.status,
        input: done.input, inputDetails: { included: true },
        ...(done.output === undefined ? {} : { output: done.output, outputDetails: { included: true } }),
        ...(done.error === undefined ? {} : { error: done.error }),
        ...(done.cause === undefined ? {} : { cause: done.cause }),
        billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(((done.stopDate ?? done.startDate) - done.startDate) / 100) * 100) },
      };
    },

    DescribeExecution(input, ctx) {
      const record = find(input.executionArn, ctx);
      return {
        executionArn: record.executionArn, stateMachineArn: record.stateMachineArn, name: record.name, status: record.status,
        startDate: new Date(record.startDate), input: record.input, inputDetails: { included: true },
        ...(record.stateMachineVersionArn === undefined ? {} : { stateMachineVersionArn: record.stateMachineVersionArn }),
        ...(record.stateMachineAliasArn === undefined ? {} : { stateMachineAliasArn: record.stateMachineAliasArn }),
        ...(record.mapRunArn === undefined ? {} : { mapRunArn: record.mapRunArn }),
        ...(record.stopDate === undefined ? {} : { stopDate: new Date(record.stopDate) }),
        ...(record.output === undefined ? {} : { output: record.output, outputDetails: { included: true } }),
        ...(record.error === undefined ? {} : { error: record.error }),
        ...(record.cause === undefined ? {} : { cause: record.cause }),
        ...redriveFields(record),
        ...redriveStatusOf(record),
      };
    },

    /** Newest first, as AWS lists them. */
    ListExecutions(input, ctx) {
      let listed: ExecutionRecord[];
      if (input.mapRunArn !== undefined) {
        listed = mapRunChildren(records, input.mapRunArn, ctx);
      } else {
        if (input.stateMachineArn === undefined) throw new ServiceError('ValidationException', 'Must provide a StateMachine ARN or MapRun ARN');
        requireArn(input.stateMachineArn, 'stateMachine', ctx.region, ctx.account);
        const machine = records.stateMachines.get(input.stateMachineArn);
        if (machine === undefined) throw stateMachineDoesNotExist(input.stateMachineArn);
        if (machine.type === 'EXPRESS') throw new ServiceError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
        listed = records.executions.list({ prefix: executionArn(machine.stateMachineArn, '', false) }).map(([, record]) => record);
      }
      const all = listed
        .filter((record) => input.statusFilter === undefined || record.status === input.statusFilter)
        .filter((record) => input.redriveFilter === undefined || (input.redriveFilter === 'REDRIVEN') === (record.redriveCount !== undefined))
        .sort((a, b) => b.startDate - a.startDate || b.executionArn.localeCompare(a.executionArn));
      const page = paginate(all, input.maxResults, input.nextToken);
      return {
        executions: page.items.map((record) => ({
          executionArn: record.executionArn, stateMachineArn: record.stateMachineArn, name: record.name, status: record.status,
          startDate: new Date(record.startDate), ...(record.stopDate === undefined ? {} : { stopDate: new Date(record.stopDate) }),
          ...(record.stateMachineVersionArn === undefined ? {} : { stateMachineVersionArn: record.stateMachineVersionArn }),
          ...(record.stateMachineAliasArn === undefined ? {} : { stateMachineAliasArn: record.stateMachineAliasArn }),
          // Only a listing by mapRunArn names the Map Run and counts items (API_ExecutionListItem).
          ...(input.mapRunArn === undefined || record.mapRunArn === undefined ? {} : { mapRunArn: record.mapRunArn, itemCount: record.itemCount ?? 1 }),
          ...redriveFields(record),
        })),
        ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
      };
    },

    StopExecution(input, ctx) {
      const record = find(input.executionArn, ctx);
      if (record.mapRunArn === undefined) {
        driver.signal(record.executionArn, { type: 'stop', error: input.error, cause: input.cause });
      } else {
        // A Map Run's child runs inside its parent's engine state: the parent stops it.
        const parentArn = records.mapRuns.get(record.mapRunArn)?.executionArn;
        if (parentArn !== undefined) driver.signal(parentArn, { type: 'stopChild', executionArn: record.executionArn, error: input.error, cause: input.cause });
      }
      const stopped = records.executions.get(record.executionArn);
      return { stopDate: new Date(stopped?.stopDate ?? runtime.clock.now()) };
    },

    GetExecutionHistory(input, ctx) {
      const record = find(input.executionArn, ctx);
      const includeData = input.includeExecutionData ?? true;
      const reverse = input.reverseOrder ?? false;
      const chunks = records.history.list({ prefix: `${record.executionArn}/`, reverse }).map(([, chunk]) => (reverse ? unpackHistory(chunk).reverse() : unpackHistory(chunk)));
      // Executions stored before history was kept in chunks have one record per event, all older than any chunk.
      const legacy = records.legacyHistory.list({ prefix: `${record.executionArn}/`, reverse }).map(([, event]) => event);
      const ordered = reverse ? [...chunks.flat(), ...legacy] : [...legacy, ...chunks.flat()];
      const events = ordered.map((event) => toApiEvent(event, includeData));
      const page = paginate(events, input.maxResults, input.nextToken);
      return { events: page.items, ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }) };
    },

    DescribeStateMachineForExecution(input, ctx) {
      const record = find(input.executionArn, ctx);
      // A Map Run child's state machine ARN names its Map state; its configuration is its parent's machine's.
      const parentArn = record.mapRunArn === undefined ? undefined : records.mapRuns.get(record.mapRunArn)?.executionArn;
      const machineArn = parentArn === undefined ? record.stateMachineArn : (records.executions.get(parentArn)?.stateMachineArn ?? record.stateMachineArn);
      const machine = records.stateMachines.get(machineArn);
      const name = record.stateMachineArn.split(':')[6];
      return {
        stateMachineArn: record.stateMachineArn, name, definition: executionDefinition(records, record) ?? '', roleArn: record.roleArn,
        updateDate: new Date(machine?.updateDate ?? record.startDate),
        // A child names its Map Run and the label that identifies its Map state (API_DescribeStateMachineForExecution).
        ...(record.mapRunArn === undefined ? {} : { mapRunArn: record.mapRunArn, label: name.slice(name.indexOf('/') + 1) }),
        ...(machine === undefined ? {} : { loggingConfiguration: machine.loggingConfiguration, tracingConfiguration: { enabled: machine.tracingEnabled }, revisionId: machine.revisionId }),
      };
    },

    SendTaskSuccess(input) {
      const task = taskFor(input.taskToken);
      const output = parseJson(input.output, 'InvalidOutput', 'Output');
      driver.signal(task.executionArn, { type: 'taskSucceeded', taskId: task.taskId, output });
      return {};
    },

    SendTaskFailure(input) {
      const task = taskFor(input.taskToken);
      driver.signal(task.executionArn, { type: 'taskFailed', taskId: task.taskId, error: input.error, cause: input.cause });
      return {};
    },

    SendTaskHeartbeat(input) {
      const task = taskFor(input.taskToken);
      driver.signal(task.executionArn, { type: 'taskHeartbeat', taskId: task.taskId });
      return {};
    },
  };
}

/**
 * The children of a Map Run, listable while the execution that started it is kept. Their ARNs share
 * the prefix of the Map Run's machine and label, which Map Runs with the same label share too.
 */
function mapRunChildren(records: StepFunctionsCollections, mapRunArn: string, ctx: RequestContext): ExecutionRecord[] {
  requireArn(mapRunArn, 'mapRun', ctx.region, ctx.account);
  if (records.mapRuns.get(mapRunArn) === undefined) throw new ServiceError('ResourceNotFound', `Resource not found: '${mapRunArn}'`);
  const parts = mapRunArn.split(':');
  const prefix = `${[...parts.slice(0, 5), 'execution', parts[6]].join(':')}:`;
  return records.executions.list({ prefix }).map(([, record]) => record).filter((record) => record.mapRunArn === mapRunArn);
}

/** redriveCount is 0 until a redrive (as AWS reports it); redriveDate only after one. */
function redriveFields(record: ExecutionRecord): { redriveCount: number; redriveDate?: Date } {
  return { redriveCount: record.redriveCount ?? 0, ...(record.redriveDate === undefined ? {} : { redriveDate: new Date(record.redriveDate) }) };
}

/** Engine events carry epoch-ms timestamps; includeExecutionData=false drops inputs and outputs, as AWS does. */
function toApiEvent(event: EngineEvent, includeData: boolean): HistoryEvent {
  const api: Record<string, unknown> = { ...event, timestamp: new Date(event.timestamp) };
  if (!includeData) {
    for (const [key, value] of Object.entries(api)) {
      if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
      const { input: _input, output: _output, ...rest } = value as Record<string, unknown>;
      api[key] = rest;
    }
  }
  return api as unknown as HistoryEvent;
}

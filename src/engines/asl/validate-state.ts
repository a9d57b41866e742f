import { isJsonObject } from './json-value.js';
import { isTaskResourceArn } from './task-resource.js';
import { parseTimestamp } from './timestamps.js';
import {
  checkAllowedFields,
  checkAssign,
  checkCatchers,
  checkChoiceRule,
  checkPath,
  checkPayloadTemplate,
  checkReferencePath,
  checkResultPath,
  checkRetriers,
  isJsonataString,
  isValidDynamicValue,
} from './validate-fields.js';
import type { QueryLanguage, StateType } from './definition.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { DiagnosticSink } from './validation-report.js';

/**
 * Per-state schema checks: which fields each state type allows in each query
 * language (the tables of https://states-language.net/spec.html#state-types)
 * and the constraints on their values.
 */
export const STATE_TYPES: readonly StateType[] = ['Task', 'Wait', 'Pass', 'Succeed', 'Fail', 'Choice', 'Parallel', 'Map'];

/** Fields only a Distributed Map (ItemProcessor.ProcessorConfig.Mode DISTRIBUTED) takes. */
const DISTRIBUTED_ONLY_FIELDS = ['ItemReader', 'ItemBatcher', 'ResultWriter'] as const;

const TYPE_FIELDS: Readonly<Record<StateType, { common: readonly string[]; jsonPath: readonly string[]; jsonata: readonly string[] }>> = {
  Pass: { common: ['Result'], jsonPath: ['Parameters', 'ResultPath'], jsonata: [] },
  Task: {
    common: ['Resource', 'TimeoutSeconds', 'HeartbeatSeconds', 'Retry', 'Catch', 'Credentials'],
    jsonPath: ['Parameters', 'ResultSelector', 'ResultPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath'],
    jsonata: ['Arguments'],
  },
  Choice: { common: ['Choices', 'Default'], jsonPath: [], jsonata: [] },
  Wait: { common: ['Seconds', 'Timestamp'], jsonPath: ['SecondsPath', 'TimestampPath'], jsonata: [] },
  Succeed: { common: [], jsonPath: [], jsonata: [] },
  Fail: { common: ['Error', 'Cause'], jsonPath: ['ErrorPath', 'CausePath'], jsonata: [] },
  Parallel: { common: ['Branches', 'Retry', 'Catch'], jsonPath: ['Parameters', 'ResultSelector', 'ResultPath'], jsonata: ['Arguments'] },
  Map: {
    common: ['ItemProcessor', 'Iterator', 'ItemSelector', 'MaxConcurrency', 'ToleratedFailureCount', 'ToleratedFailurePercentage', 'Label', 'Retry', 'Catch', ...DISTRIBUTED_ONLY_FIELDS],
    jsonPath: ['ItemsPath', 'Parameters', 'ResultSelector', 'ResultPath', 'MaxConcurrencyPath', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath'],
    jsonata: ['Items'],
  },
};

function allowedFields(type: StateType, language: QueryLanguage): Set<string> {
  const fields = new Set(['Type', 'Comment', 'QueryLanguage', ...TYPE_FIELDS[type].common]);
  const isTerminalType = type === 'Choice' || type === 'Succeed' || type === 'Fail';
  if (!isTerminalType) ['Next', 'End'].forEach((field) => fields.add(field));
  if (type !== 'Fail') fields.add(language === 'JSONPath' ? 'InputPath' : 'Output');
  if (type !== 'Fail' && language === 'JSONPath') fields.add('OutputPath');
  if (type !== 'Succeed' && type !== 'Fail') fields.add('Assign');
  (language === 'JSONPath' ? TYPE_FIELDS[type].jsonPath : TYPE_FIELDS[type].jsonata).forEach((field) => fields.add(field));
  return fields;
}

/** Checks one state's own fields; the caller walks nested Branches and ItemProcessor blocks. */
export function checkState(sink: DiagnosticSink, location: string, state: JsonObject, type: StateType, language: QueryLanguage): void {
  checkAllowedFields(sink, location, state, allowedFields(type, language));
  checkTransition(sink, location, state, type);
  if (language === 'JSONPath') checkJsonPathData(sink, location, state);
  if (state.Assign !== undefined) checkAssign(sink, location, state.Assign, language);
  if (state.Retry !== undefined) checkRetriers(sink, location, state.Retry);
  if (state.Catch !== undefined) checkCatchers(sink, location, state.Catch, language);
  switch (type) {
    case 'Task':
      checkTask(sink, location, state, language);
      return;
    case 'Choice':
      checkChoice(sink, location, state, language);
      return;
    case 'Wait':
      checkWait(sink, location, state, language);
      return;
    case 'Fail':
      checkFail(sink, location, state);
      return;
    case 'Parallel':
      if (!Array.isArray(state.Branches) || state.Branches.length === 0) sink.schema(`${location}/Branches`, 'Value cannot be empty');
      return;
    case 'Map':
      checkMap(sink, location, state, language);
      return;
    default:
      return;
  }
}

function checkTransition(sink: DiagnosticSink, location: string, state: JsonObject, type: StateType): void {
  if (type === 'Choice' || type === 'Succeed' || type === 'Fail') return;
  const hasNext = state.Next !== undefined;
  const isEnd = state.End === true;
  if (state.Next !== undefined && typeof state.Next !== 'string') sink.schema(`${location}/Next`, "The value for the field 'Next' must be a string");
  if (state.End !== undefined && typeof state.End !== 'boolean') sink.schema(`${location}/End`, "The value for the field 'End' must be a boolean");
  if (hasNext && isEnd) sink.schema(location, "Only one of 'Next' or 'End' can be specified");
  if (!hasNext && !isEnd) sink.schema(location, "Either 'Next' or 'End' must be specified");
}

function checkJsonPathData(sink: DiagnosticSink, location: string, state: JsonObject): void {
  if (state.InputPath !== undefined) checkPath(sink, location, 'InputPath', state.InputPath);
  if (state.OutputPath !== undefined) checkPath(sink, location, 'OutputPath', state.OutputPath);
  if (state.ResultPath !== undefined) checkResultPath(sink, location, state.ResultPath);
  for (const field of ['Parameters', 'ResultSelector', 'ItemSelector'] as const) {
    const template = state[field];
    if (template === undefined) continue;
    if (!isJsonObject(template)) sink.schema(`${location}/${field}`, `The value for the field '${field}' must be a JSON object`);
    else checkPayloadTemplate(sink, `${location}/${field}`, template);
  }
}

/** A field that takes a literal, or in JSONata a "{% %}" expression, or in JSONPath a "...Path" alternative. */
function checkDynamicNumber(sink: DiagnosticSink, location: string, state: JsonObject, field: string, language: QueryLanguage, valid: (value: number) => boolean, rule: string): void {
  const value = state[field];
  const pathField = `${field}Path`;
  if (value !== undefined && state[pathField] !== undefined) sink.schema(location, `Only one of '${field}' or '${pathField}' can be specified`);
  if (state[pathField] !== undefined) checkReferencePath(sink, location, pathField, state[pathField]);
  if (value === undefined || (language === 'JSONata' && isJsonataString(value))) return;
  if (typeof value !== 'number' || !valid(value)) sink.schema(`${location}/${field}`, `The field '${field}' must be ${rule}`);
}

const isPositiveInteger = (value: number): boolean => Number.isInteger(value) && value > 0;
const isNonNegativeInteger = (value: number): boolean => Number.isInteger(value) && value >= 0;

function checkTask(sink: DiagnosticSink, location: string, state: JsonObject, language: QueryLanguage): void {
  const resource = state.Resource;
  if (typeof resource !== 'string') {
    sink.schema(location, 'These fields are required: [Resource]');
  } else if (!isTaskResourceArn(resource)) {
    sink.schema(
      `${location}/Resource`,
      `The resource provided ${resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
    );
  }
  checkDynamicNumber(sink, location, state, 'TimeoutSeconds', language, isPositiveInteger, 'a positive integer');
  checkDynamicNumber(sink, location, state, 'HeartbeatSeconds', language, isPositiveInteger, 'a positive integer');
  const { TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat } = state;
  if (typeof timeout === 'number' && typeof heartbeat === 'number' && heartbeat >= timeout) {
    sink.schema(`${location}/HeartbeatSeconds`, "The field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'");
  }
  const credentials = state.Credentials;
  if (credentials === undefined) return;
  if (!isJsonObject(credentials) || (credentials.RoleArn === undefined && credentials['RoleArn.$'] === undefined)) {
    sink.schema(`${location}/Credentials`, "The field 'RoleArn' is required but was missing");
  } else if (language === 'JSONPath') {
    checkPayloadTemplate(sink, `${location}/Credentials`, credentials);
  }
}

function checkChoice(sink: DiagnosticSink, location: string, state: JsonObject, language: QueryLanguage): void {
  const choices = state.Choices;
  if (!Array.isArray(choices) || choices.length === 0) {
    sink.schema(`${location}/Choices`, 'Value cannot be empty');
    return;
  }
  if (state.Default !== undefined && typeof state.Default !== 'string') sink.schema(`${location}/Default`, "The value for the field 'Default' must be a string");
  choices.forEach((rule, i) => {
    const at = `${location}/Choices/${i}`;
    if (language === 'JSONPath') {
      checkChoiceRule(sink, at, rule, true);
      return;
    }
    if (!isJsonObject(rule)) {
      sink.schema(at, 'A choice rule must be a JSON object');
      return;
    }
    checkAllowedFields(sink, at, rule, new Set(['Condition', 'Next', 'Assign', 'Output', 'Comment']));
    if (typeof rule.Next !== 'string') sink.schema(at, 'These fields are required: [Next]');
    if (typeof rule.Condition !== 'boolean' && !isJsonataString(rule.Condition)) sink.schema(`${at}/Condition`, "The field 'Condition' must be a boolean or a JSONata expression");
    if (rule.Assign !== undefined) checkAssign(sink, at, rule.Assign, language);
  });
}

function checkWait(sink: DiagnosticSink, location: string, state: JsonObject, language: QueryLanguage): void {
  const given = ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'].filter((field) => state[field] !== undefined);
  if (given.length !== 1) sink.schema(location, "Exactly one of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath' must be specified");
  checkDynamicNumber(sink, location, state, 'Seconds', language, isNonNegativeInteger, 'a non-negative integer');
  if (state.TimestampPath !== undefined) checkReferencePath(sink, location, 'TimestampPath', state.TimestampPath);
  const timestamp = state.Timestamp;
  if (timestamp === undefined || (language === 'JSONata' && isJsonataString(timestamp))) return;
  if (typeof timestamp !== 'string' || parseTimestamp(timestamp) === undefined) sink.schema(`${location}/Timestamp`, 'String does not match RFC3339 timestamp');
}

function checkFail(sink: DiagnosticSink, location: string, state: JsonObject): void {
  for (const field of ['Error', 'Cause'] as const) {
    const pathField = `${field}Path`;
    if (state[field] !== undefined && state[pathField] !== undefined) sink.schema(location, `Only one of '${field}' or '${pathField}' can be specified`);
    if (state[field] !== undefined && typeof state[field] !== 'string') sink.schema(`${location}/${field}`, `The value for the field '${field}' must be a string`);
    const dynamic: JsonValue | undefined = state[pathField];
    if (dynamic !== undefined && !isValidDynamicValue(dynamic)) {
      sink.schema(`${location}/${pathField}`, `The value for the field '${pathField}' must be a valid JSONPath or a valid intrinsic function call`);
    }
  }
}

function checkMap(sink: DiagnosticSink, location: string, state: JsonObject, language: QueryLanguage): void {
  const processors = ['ItemProcessor', 'Iterator'].filter((field) => state[field] !== undefined);
  if (processors.length !== 1) sink.schema(location, "Exactly one of 'ItemProcessor' or 'Iterator' must be specified");
  if (state.ItemsPath !== undefined) checkReferencePath(sink, location, 'ItemsPath', state.ItemsPath);
  if (state.ItemSelector !== undefined && state.Parameters !== undefined) sink.schema(location, "Only one of 'ItemSelector' or 'Parameters' can be specified");
  checkDynamicNumber(sink, location, state, 'MaxConcurrency', language, isNonNegativeInteger, 'a non-negative integer');
  checkDynamicNumber(sink, location, state, 'ToleratedFailureCount', language, isNonNegativeInteger, 'a non-negative integer');
  checkDynamicNumber(sink, location, state, 'ToleratedFailurePercentage', language, (value) => value >= 0 && value <= 100, 'a number between 0 and 100');
  const processor = state.ItemProcessor ?? state.Iterator;
  const config = isJsonObject(processor) ? processor.ProcessorConfig : undefined;
  const distributed = isJsonObject(config) && config.Mode === 'DISTRIBUTED';
  for (const field of DISTRIBUTED_ONLY_FIELDS) {
    const value = state[field];
    if (value === undefined) continue;
    if (!distributed) sink.schema(`${location}/${field}`, `The field '${field}' is only supported for a Map state in DISTRIBUTED processor mode`);
    else if (!isJsonObject(value)) sink.schema(`${location}/${field}`, `The value for the field '${field}' must be a JSON object`);
  }
  const batcher = state.ItemBatcher;
  if (distributed && isJsonObject(batcher) && ['MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'].every((field) => batcher[field] === undefined)) {
    sink.schema(`${location}/ItemBatcher`, "At least one of 'MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch' or 'MaxInputBytesPerBatchPath' must be specified");
  }
  const items = state.Items;
  if (items !== undefined && !Array.isArray(items) && !isJsonataString(items)) sink.schema(`${location}/Items`, "The field 'Items' must be an array or a JSONata expression");
}

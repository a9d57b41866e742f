import { COMPARISON_OPERATORS } from './choice-rules.js';
import { isSupportedIntrinsic } from './intrinsic-functions.js';
import { parseIntrinsic } from './intrinsic-parser.js';
import { jsonataExpressionOf } from './jsonata-evaluator.js';
import { isJsonObject } from './json-value.js';
import { isReferencePath, isValidAslPath, parseAslPath } from './path-query.js';
import { StatesError } from './state-errors.js';
import { parseTimestamp } from './timestamps.js';
import type { IntrinsicCall } from './intrinsic-parser.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { QueryLanguage } from './definition.js';
import type { DiagnosticSink } from './validation-report.js';

/** Checks shared by several state types: paths, payload templates, Assign, Retry, Catch and Choice Rules. */

export function isJsonataString(value: JsonValue | undefined): boolean {
  return typeof value === 'string' && jsonataExpressionOf(value) !== undefined;
}

export function checkAllowedFields(sink: DiagnosticSink, location: string, object: JsonObject, allowed: ReadonlySet<string>): void {
  for (const key of Object.keys(object)) {
    if (!allowed.has(key)) sink.schema(location, `The field "${key}" is not supported by Step Functions`);
  }
}

/** InputPath and OutputPath: a Path or null. */
export function checkPath(sink: DiagnosticSink, location: string, field: string, value: JsonValue): void {
  if (value === null) return;
  if (typeof value !== 'string' || !isValidAslPath(value)) sink.schema(`${location}/${field}`, `The value for the field '${field}' must be a valid JSONPath`);
}

/** ResultPath: a Reference Path into the state's data (not $$ nor a variable), or null. */
export function checkResultPath(sink: DiagnosticSink, location: string, value: JsonValue): void {
  if (value === null) return;
  const valid = typeof value === 'string' && isReferencePath(value) && parseAslPath(value).source === 'input';
  if (!valid) sink.schema(`${location}/ResultPath`, "The value for the field 'ResultPath' must be a valid ReferencePath");
}

/** ItemsPath, SecondsPath, TimeoutSecondsPath and the like: a Reference Path. */
export function checkReferencePath(sink: DiagnosticSink, location: string, field: string, value: JsonValue): void {
  if (typeof value !== 'string' || !isReferencePath(value)) {
    sink.schema(`${location}/${field}`, `The value for the field '${field}' must be a valid ReferencePath`);
  }
}

/** The value of a ".$" field (or ErrorPath, CausePath): a Path or a supported intrinsic function call. */
export function isValidDynamicValue(value: JsonValue): boolean {
  if (typeof value !== 'string') return false;
  if (value.startsWith('$')) return isValidAslPath(value);
  try {
    return callIsSupported(parseIntrinsic(value));
  } catch {
    return false;
  }
}

function callIsSupported(call: IntrinsicCall): boolean {
  return isSupportedIntrinsic(call.name) && call.args.every((arg) => arg.kind !== 'call' || callIsSupported(arg.call));
}

/** A Payload Template: every ".$" field, however deeply nested, must hold a path or an intrinsic. */
export function checkPayloadTemplate(sink: DiagnosticSink, location: string, template: JsonValue): void {
  if (Array.isArray(template)) {
    template.forEach((item) => {
      checkPayloadTemplate(sink, location, item);
    });
    return;
  }
  if (!isJsonObject(template)) return;
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && !isValidDynamicValue(value)) {
      sink.schema(location, `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`);
    } else {
      checkPayloadTemplate(sink, location, value);
    }
  }
}

const VARIABLE_NAME = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;

/** Assign: an object whose keys name variables (Unicode identifiers up to 80 characters, never "states"). */
export function checkAssign(sink: DiagnosticSink, location: string, assign: JsonValue, language: QueryLanguage): void {
  if (!isJsonObject(assign)) {
    sink.schema(`${location}/Assign`, "The value for the field 'Assign' must be a JSON object");
    return;
  }
  for (const key of Object.keys(assign)) {
    const name = language === 'JSONPath' && key.endsWith('.$') ? key.slice(0, -2) : key;
    if (!VARIABLE_NAME.test(name) || name.length > 80 || name === 'states') {
      sink.schema(`${location}/Assign`, `The variable name '${name}' is not valid`);
    }
  }
  if (language === 'JSONPath') checkPayloadTemplate(sink, `${location}/Assign`, assign);
}

function checkErrorEquals(sink: DiagnosticSink, location: string, value: JsonValue | undefined, isLast: boolean, kind: string): void {
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string')) {
    sink.schema(`${location}/ErrorEquals`, "The field 'ErrorEquals' must be a non-empty array of strings");
    return;
  }
  if (value.includes(StatesError.All) && value.length > 1) {
    sink.schema(`${location}/ErrorEquals`, `${StatesError.All} must appear alone in 'ErrorEquals'`);
  }
  if (value.includes(StatesError.All) && !isLast) {
    sink.schema(`${location}/ErrorEquals`, `${StatesError.All} must appear in the last ${kind}`);
  }
}

const RETRIER_FIELDS = new Set(['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment']);

/** Retry: the limits the developer guide documents for each retrier field. */
export function checkRetriers(sink: DiagnosticSink, location: string, value: JsonValue): void {
  if (!Array.isArray(value)) {
    sink.schema(`${location}/Retry`, "The field 'Retry' must be an array");
    return;
  }
  value.forEach((retrier, i) => {
    const at = `${location}/Retry/${i}`;
    if (!isJsonObject(retrier)) {
      sink.schema(at, 'A retrier must be a JSON object');
      return;
    }
    checkAllowedFields(sink, at, retrier, RETRIER_FIELDS);
    checkErrorEquals(sink, at, retrier.ErrorEquals, i === value.length - 1, 'Retrier');
    checkIntegerField(sink, at, retrier, 'IntervalSeconds', 1, 99_999_999);
    checkIntegerField(sink, at, retrier, 'MaxAttempts', 0, 99_999_999);
    checkIntegerField(sink, at, retrier, 'MaxDelaySeconds', 1, 31_622_400);
    const backoff = retrier.BackoffRate;
    if (backoff !== undefined && (typeof backoff !== 'number' || backoff < 1)) sink.schema(`${at}/BackoffRate`, "The field 'BackoffRate' must be a number greater than or equal to 1.0");
    const jitter = retrier.JitterStrategy;
    if (jitter !== undefined && jitter !== 'FULL' && jitter !== 'NONE') {
      sink.schema(`${at}/JitterStrategy`, "The field 'JitterStrategy' should have one of these values: [FULL, NONE]");
    }
  });
}

export function checkIntegerField(sink: DiagnosticSink, location: string, object: JsonObject, field: string, min: number, max: number): void {
  const value = object[field];
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    sink.schema(`${location === '/' ? '' : location}/${field}`, `The field '${field}' must be an integer between ${min} and ${max}`);
  }
}

/** Catch: ErrorEquals and Next, plus ResultPath (JSONPath) or Output (JSONata), and Assign. */
export function checkCatchers(sink: DiagnosticSink, location: string, value: JsonValue, language: QueryLanguage): void {
  if (!Array.isArray(value)) {
    sink.schema(`${location}/Catch`, "The field 'Catch' must be an array");
    return;
  }
  const allowed = new Set(['ErrorEquals', 'Next', 'Assign', 'Comment', ...(language === 'JSONPath' ? ['ResultPath'] : ['Output'])]);
  value.forEach((catcher, i) => {
    const at = `${location}/Catch/${i}`;
    if (!isJsonObject(catcher)) {
      sink.schema(at, 'A catcher must be a JSON object');
      return;
    }
    checkAllowedFields(sink, at, catcher, allowed);
    checkErrorEquals(sink, at, catcher.ErrorEquals, i === value.length - 1, 'Catcher');
    if (typeof catcher.Next !== 'string') sink.schema(at, 'These fields are required: [Next]');
    if (catcher.ResultPath !== undefined) checkResultPath(sink, at, catcher.ResultPath);
    if (catcher.Assign !== undefined) checkAssign(sink, at, catcher.Assign, language);
  });
}

/** A JSONPath Choice Rule: And/Or/Not over data-test expressions; only top-level rules have Next. */
export function checkChoiceRule(sink: DiagnosticSink, location: string, rule: JsonValue, topLevel: boolean): void {
  if (!isJsonObject(rule)) {
    sink.schema(location, 'A choice rule must be a JSON object');
    return;
  }
  if (topLevel && typeof rule.Next !== 'string') sink.schema(location, 'These fields are required: [Next]');
  if (!topLevel && rule.Next !== undefined) sink.schema(`${location}/Next`, "Nested choice rules must not have a 'Next' field");
  if (!topLevel && rule.Assign !== undefined) sink.schema(`${location}/Assign`, "Nested choice rules must not have an 'Assign' field");
  if (rule.Assign !== undefined) checkAssign(sink, location, rule.Assign, 'JSONPath');
  for (const operator of ['And', 'Or'] as const) {
    const operands = rule[operator];
    if (operands === undefined) continue;
    if (!Array.isArray(operands) || operands.length === 0) sink.schema(`${location}/${operator}`, `The field '${operator}' must be a non-empty array of choice rules`);
    else operands.forEach((inner, i) => {
      checkChoiceRule(sink, `${location}/${operator}/${i}`, inner, false);
    });
    return;
  }
  if (rule.Not !== undefined) {
    checkChoiceRule(sink, `${location}/Not`, rule.Not, false);
    return;
  }
  checkDataTest(sink, location, rule);
}

function checkDataTest(sink: DiagnosticSink, location: string, rule: JsonObject): void {
  if (typeof rule.Variable !== 'string' || !isValidAslPath(rule.Variable)) {
    sink.schema(`${location}/Variable`, "The value for the field 'Variable' must be a valid JSONPath");
  }
  const operators = Object.keys(rule).filter((key) => COMPARISON_OPERATORS.has(key));
  if (operators.length !== 1) {
    sink.schema(location, 'A choice rule must contain exactly one comparison operator');
    return;
  }
  const operator = operators[0];
  const value = rule[operator];
  const expected = COMPARISON_OPERATORS.get(operator);
  const valid =
    expected === 'path'
      ? typeof value === 'string' && isValidAslPath(value)
      : expected === 'timestamp'
        ? typeof value === 'string' && parseTimestamp(value) !== undefined
        : expected === 'number'
          ? typeof value === 'number'
          : typeof value === expected;
  if (!valid) sink.schema(`${location}/${operator}`, `The value for the field '${operator}' must be a valid ${expected === 'path' ? 'JSONPath' : expected}`);
  const allowed = new Set(['Variable', operator, 'Next', 'Assign', 'Comment']);
  checkAllowedFields(sink, location, rule, allowed);
}

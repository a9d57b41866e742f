import { createHash } from 'node:crypto';
import { javaText } from './java-text.js';
import { isJsonObject, jsonEquals, jsonTypeName, parseJsonText, toJsonText } from './json-value.js';
import { queryPath } from './path-query.js';
import { randomUuid, seededRandom } from './random-source.js';
import { intrinsicFailure } from './state-errors.js';
import type { IntrinsicArgument, IntrinsicCall } from './intrinsic-parser.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { PathScope } from './path-query.js';
import type { RandomSource } from './random-source.js';

/**
 * The JSONPath intrinsic functions
 * (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
 * Invalid arguments fail the state with States.IntrinsicFailure.
 */
interface IntrinsicDefinition {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly run: (args: readonly JsonValue[], call: IntrinsicInvocation) => JsonValue;
}

interface IntrinsicInvocation {
  readonly name: string;
  readonly argumentNodes: readonly IntrinsicArgument[];
  readonly random: RandomSource;
}

const MAX_ARRAY_RANGE = 1000;
const MAX_ENCODED_LENGTH = 10_000;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

export function evaluateIntrinsic(call: IntrinsicCall, scope: PathScope, random: RandomSource): JsonValue {
  const definition = INTRINSICS[call.name];
  if (definition === undefined) throw intrinsicFailure(`The intrinsic function ${call.name} is not supported.`);
  if (call.args.length < definition.minArgs || call.args.length > definition.maxArgs) {
    const expected = definition.minArgs === definition.maxArgs ? `${definition.minArgs}` : `${definition.minArgs} to ${definition.maxArgs}`;
    throw intrinsicFailure(`The intrinsic function ${call.name} expects ${expected} arguments, but received ${call.args.length}.`);
  }
  const args = call.args.map((arg) => argumentValue(arg, scope, random));
  return definition.run(args, { name: call.name, argumentNodes: call.args, random });
}

export function isSupportedIntrinsic(name: string): boolean {
  return name in INTRINSICS;
}

function argumentValue(arg: IntrinsicArgument, scope: PathScope, random: RandomSource): JsonValue {
  switch (arg.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return arg.value;
    case 'null':
      return null;
    case 'path':
      return queryPath(arg.path, scope);
    case 'call':
      return evaluateIntrinsic(arg.call, scope, random);
  }
}

function invalid(call: IntrinsicInvocation, message: string): Error {
  return intrinsicFailure(`Invalid arguments in ${call.name}: ${message}`);
}

function requireArray(call: IntrinsicInvocation, value: JsonValue, position: string): JsonValue[] {
  if (!Array.isArray(value)) throw invalid(call, `the ${position} argument must be an array, but was ${jsonTypeName(value)}.`);
  return value;
}

function requireString(call: IntrinsicInvocation, value: JsonValue, position: string): string {
  if (typeof value !== 'string') throw invalid(call, `the ${position} argument must be a string, but was ${jsonTypeName(value)}.`);
  return value;
}

function requireObject(call: IntrinsicInvocation, value: JsonValue, position: string): JsonObject {
  if (!isJsonObject(value)) throw invalid(call, `the ${position} argument must be a JSON object, but was ${jsonTypeName(value)}.`);
  return value;
}

/** Numeric arguments that must be integers are rounded to the nearest one, as AWS documents. */
function requireInteger(call: IntrinsicInvocation, value: JsonValue, position: string): number {
  if (typeof value !== 'number') throw invalid(call, `the ${position} argument must be a number, but was ${jsonTypeName(value)}.`);
  return Math.round(value);
}

const ORDINALS = ['first', 'second', 'third'] as const;

const INTRINSICS: Readonly<Record<string, IntrinsicDefinition>> = {
  'States.Format': {
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    run: (args, call) => formatTemplate(call, args),
  },
  'States.StringToJson': {
    minArgs: 1,
    maxArgs: 1,
    run: (args, call) => {
      const text = requireString(call, args[0], 'first');
      // AWS answers null for an empty or blank string rather than failing.
      if (text.trim() === '') return null;
      try {
        return parseJsonText(text);
      } catch {
        throw invalid(call, `the argument is not valid JSON text: ${text}`);
      }
    },
  },
  'States.JsonToString': {
    minArgs: 1,
    maxArgs: 1,
    run: ([value]) => toJsonText(value),
  },
  'States.Array': {
    minArgs: 0,
    maxArgs: Number.POSITIVE_INFINITY,
    run: (args) => [...args],
  },
  'States.ArrayPartition': {
    minArgs: 2,
    maxArgs: 2,
    run: ([array, size], call) => {
      const items = requireArray(call, array, 'first');
      const chunk = requireInteger(call, size, 'second');
      if (chunk <= 0) throw invalid(call, `the chunk size must be a positive integer, but was ${chunk}.`);
      const chunks: JsonValue[] = [];
      for (let i = 0; i < items.length; i += chunk) chunks.push(items.slice(i, i + chunk));
      return chunks;
    },
  },
  'States.ArrayContains': {
    minArgs: 2,
    maxArgs: 2,
    run: ([array, lookingFor], call) => requireArray(call, array, 'first').some((item) => jsonEquals(item, lookingFor)),
  },
  'States.ArrayRange': {
    minArgs: 3,
    maxArgs: 3,
    run: ([first, last, increment], call) => {
      const start = requireInteger(call, first, 'first');
      const end = requireInteger(call, last, 'second');
      const step = requireInteger(call, increment, 'third');
      if (step === 0) throw invalid(call, 'the step must not be zero.');
      const length = Math.max(0, Math.floor((end - start) / step) + 1);
      if (length > MAX_ARRAY_RANGE) throw invalid(call, `the range would contain ${length} items, more than the limit of ${MAX_ARRAY_RANGE}.`);
      return Array.from({ length }, (_, i) => start + i * step);
    },
  },
  'States.ArrayGetItem': {
    minArgs: 2,
    maxArgs: 2,
    run: ([array, index], call) => {
      const items = requireArray(call, array, 'first');
      const position = requireInteger(call, index, 'second');
      if (position < 0 || position >= items.length) throw invalid(call, `the index ${position} is out of bounds for an array of length ${items.length}.`);
      return items[position];
    },
  },
  'States.ArrayLength': {
    minArgs: 1,
    maxArgs: 1,
    run: ([array], call) => requireArray(call, array, 'first').length,
  },
  'States.ArrayUnique': {
    minArgs: 1,
    maxArgs: 1,
    run: ([array], call) => {
      const unique: JsonValue[] = [];
      for (const item of requireArray(call, array, 'first')) {
        if (!unique.some((seen) => jsonEquals(seen, item))) unique.push(item);
      }
      return unique;
    },
  },
  'States.Base64Encode': {
    minArgs: 1,
    maxArgs: 1,
    run: ([data], call) => Buffer.from(requireBoundedString(call, data), 'utf8').toString('base64'),
  },
  'States.Base64Decode': {
    minArgs: 1,
    maxArgs: 1,
    run: ([data], call) => {
      const text = requireBoundedString(call, data);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) throw invalid(call, 'the argument is not valid Base64.');
      return Buffer.from(text, 'base64').toString('utf8');
    },
  },
  'States.Hash': {
    minArgs: 2,
    maxArgs: 2,
    run: ([data, algorithm], call) => {
      const text = typeof data === 'string' ? data : toJsonText(data);
      if (text.length > MAX_ENCODED_LENGTH) throw invalid(call, `the data must be ${MAX_ENCODED_LENGTH} characters or less.`);
      const name = requireString(call, algorithm, 'second');
      const nodeAlgorithm = HASH_ALGORITHMS[name];
      if (nodeAlgorithm === undefined) throw invalid(call, `the hashing algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}, but was ${name}.`);
      return createHash(nodeAlgorithm).update(text, 'utf8').digest('hex');
    },
  },
  'States.JsonMerge': {
    minArgs: 3,
    maxArgs: 3,
    run: ([first, second, deep], call) => {
      const left = requireObject(call, first, 'first');
      const right = requireObject(call, second, 'second');
      // The developer guide says only shallow merging is supported and the flag must be false.
      if (deep !== false) throw invalid(call, 'the third argument must be the boolean false; only shallow merging is supported.');
      return { ...left, ...right };
    },
  },
  'States.MathRandom': {
    minArgs: 2,
    maxArgs: 3,
    run: (args, call) => {
      const start = requireInteger(call, args[0], 'first');
      const end = requireInteger(call, args[1], 'second');
      if (start >= end) throw invalid(call, `the start ${start} must be less than the end ${end}.`);
      const random = args.length === 3 ? seededRandom(requireInteger(call, args[2], 'third')) : call.random;
      return start + Math.floor(random() * (end - start));
    },
  },
  'States.MathAdd': {
    minArgs: 2,
    maxArgs: 2,
    run: ([first, second], call) => {
      const operands = [requireInteger(call, first, 'first'), requireInteger(call, second, 'second')];
      operands.forEach((value, i) => {
        if (value < INT32_MIN || value > INT32_MAX) throw invalid(call, `the ${ORDINALS[i]} argument must be between ${INT32_MIN} and ${INT32_MAX}.`);
      });
      return operands[0] + operands[1];
    },
  },
  'States.StringSplit': {
    minArgs: 2,
    maxArgs: 2,
    run: ([text, delimiters], call) => {
      const input = requireString(call, text, 'first');
      const separators = new Set(requireString(call, delimiters, 'second'));
      // Every character of the second argument is a delimiter and empty tokens are dropped,
      // so "a,,b" splits to ["a","b"] (observed against AWS).
      const tokens: string[] = [];
      let current = '';
      for (const char of input) {
        if (separators.has(char)) {
          if (current !== '') tokens.push(current);
          current = '';
        } else {
          current += char;
        }
      }
      if (current !== '') tokens.push(current);
      return tokens;
    },
  },
  'States.UUID': {
    minArgs: 0,
    maxArgs: 0,
    run: (_args, call) => randomUuid(call.random),
  },
};

function requireBoundedString(call: IntrinsicInvocation, value: JsonValue): string {
  const text = requireString(call, value, 'first');
  if (text.length > MAX_ENCODED_LENGTH) throw invalid(call, `the data must be ${MAX_ENCODED_LENGTH} characters or less.`);
  return text;
}

/**
 * States.Format: each {} in the template takes the next argument. In a literal
 * template, \{ and \} are plain braces, not placeholders.
 */
function formatTemplate(call: IntrinsicInvocation, args: readonly JsonValue[]): string {
  const templateNode = call.argumentNodes[0];
  const template = templateNode.kind === 'string' ? templateNode.raw : requireString(call, args[0], 'first');
  const values = args.slice(1);
  let output = '';
  let used = 0;
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (char === '\\' && templateNode.kind === 'string') {
      output += template[i + 1];
      i++;
    } else if (char === '{' && template[i + 1] === '}') {
      if (used >= values.length) throw invalid(call, 'the template has more {} placeholders than arguments.');
      output += javaText(values[used]);
      used++;
      i++;
    } else {
      output += char;
    }
  }
  if (used !== values.length) throw invalid(call, 'the number of arguments does not match the number of {} placeholders.');
  return output;
}

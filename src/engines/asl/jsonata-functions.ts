import { createHash } from 'node:crypto';
import { parseJsonText } from './json-value.js';
import { randomUuid, seededRandom } from './random-source.js';
import type { JsonValue } from './json-value.js';
import type { RandomSource } from './random-source.js';

/**
 * The functions Step Functions adds to JSONata ($partition, $range, $hash,
 * $random, $uuid, $parse), for the JSONata adapter to register
 * (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html#jsonata-functions-provided-by-sfn).
 * Integer parameters are rounded down, as that page states.
 */
export interface StepFunctionsJsonataFunctions {
  readonly partition: (array: JsonValue[], size: number) => JsonValue[][];
  readonly range: (start: number, end: number, step: number) => number[];
  readonly hash: (data: string, algorithm: string) => string;
  readonly random: (seed?: number) => number;
  readonly uuid: () => string;
  readonly parse: (text: string) => JsonValue;
}

const ALGORITHMS: Readonly<Record<string, string>> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

export function stepFunctionsJsonataFunctions(random: RandomSource): StepFunctionsJsonataFunctions {
  return {
    partition: (array, size) => {
      const chunk = Math.floor(size);
      if (!Array.isArray(array) || chunk <= 0) throw new Error('$partition expects an array and a positive chunk size');
      const chunks: JsonValue[][] = [];
      for (let i = 0; i < array.length; i += chunk) chunks.push(array.slice(i, i + chunk));
      return chunks;
    },
    range: (start, end, step) => {
      const [first, last, delta] = [Math.floor(start), Math.floor(end), Math.floor(step)];
      if (delta === 0) throw new Error('$range expects a non-zero step');
      const length = Math.max(0, Math.floor((last - first) / delta) + 1);
      return Array.from({ length }, (_, i) => first + i * delta);
    },
    hash: (data, algorithm) => {
      const name = ALGORITHMS[algorithm];
      if (name === undefined) throw new Error(`$hash algorithm must be one of ${Object.keys(ALGORITHMS).join(', ')}`);
      return createHash(name).update(data, 'utf8').digest('hex');
    },
    random: (seed) => (seed === undefined ? random() : seededRandom(Math.floor(seed))()),
    uuid: () => randomUuid(random),
    parse: (text) => parseJsonText(text),
  };
}

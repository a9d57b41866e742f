import jsonata from 'jsonata';
import { stepFunctionsJsonataFunctions } from '../../engines/asl/index.js';
import type { JsonataEvaluator, RandomSource } from '../../engines/asl/index.js';

/**
 * The engine's JSONata seam backed by the `jsonata` package (1.8 line, whose
 * evaluate is synchronous without a callback), with the functions Step
 * Functions adds ($partition, $range, $hash, $random, $uuid, $parse)
 * registered on every expression
 * (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
 */
export function jsonataEvaluator(random: RandomSource): JsonataEvaluator {
  const functions = stepFunctionsJsonataFunctions(random);
  return {
    evaluate(expression, bindings) {
      const compiled = jsonata(expression);
      for (const [name, implementation] of Object.entries(functions)) {
        compiled.registerFunction(name, implementation as (...args: unknown[]) => unknown);
      }
      // Expressions in Step Functions see no input document: everything comes in as variables.
      return compiled.evaluate(undefined, bindings) as unknown;
    },
  };
}

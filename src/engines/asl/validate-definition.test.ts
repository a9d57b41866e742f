import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateDefinition } from './validate-definition.js';
import type { JsonObject, JsonValue } from './json-value.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:Fn';

function machine(states: JsonObject, extra: JsonObject = {}): JsonObject {
  return { StartAt: Object.keys(states)[0], States: states, ...extra };
}

function messagesOf(definition: JsonValue | string): string[] {
  const result = validateDefinition(definition);
  return result.ok ? [] : result.diagnostics.map((d) => `${d.code}: ${d.message} at ${d.location}`);
}

describe('validateDefinition: valid definitions', () => {
  const valid: ReadonlyArray<readonly [string, JsonValue]> = [
    ['a single Pass state', machine({ P: { Type: 'Pass', End: true } })],
    ['JSON text', JSON.stringify(machine({ P: { Type: 'Succeed' } }))],
    [
      'every state type',
      machine({
        T: {
          Type: 'Task',
          Resource: LAMBDA,
          Parameters: { 'a.$': '$.a', 'b.$': "States.Format('{}', $.b)", c: [{ 'd.$': '$$.Execution.Id' }] },
          ResultSelector: { 'r.$': '$.x' },
          ResultPath: '$.r',
          TimeoutSecondsPath: '$.timeout',
          HeartbeatSeconds: 10,
          Retry: [{ ErrorEquals: ['Custom'], MaxAttempts: 0 }, { ErrorEquals: ['States.ALL'], BackoffRate: 1.5, JitterStrategy: 'FULL', MaxDelaySeconds: 5 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'C' }],
          Next: 'C',
        },
        C: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.x', NumericEquals: 1, Next: 'W' },
            { And: [{ Variable: '$.y', IsPresent: true }, { Not: { Variable: '$.y', StringMatches: 'a*' } }], Next: 'Par', Assign: { seen: true } },
          ],
          Default: 'F',
        },
        W: { Type: 'Wait', Timestamp: '2016-03-14T01:59:00Z', Next: 'M' },
        M: { Type: 'Map', ItemsPath: '$.items', ItemSelector: { 'v.$': '$$.Map.Item.Value' }, MaxConcurrency: 2, ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true },
        Par: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Succeed' } } }], Next: 'S' },
        S: { Type: 'Succeed' },
        F: { Type: 'Fail', ErrorPath: '$.error', CausePath: "States.Format('cause {}', $.c)" },
      }),
    ],
    [
      'JSONata states',
      machine(
        {
          T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { x: '{% $states.input.x %}' }, TimeoutSeconds: '{% $t %}', Output: '{% $states.result %}', Next: 'C' },
          C: { Type: 'Choice', Choices: [{ Condition: '{% $x = 1 %}', Next: 'S', Output: { a: 1 } }], Default: 'S' },
          S: { Type: 'Succeed', Output: '{% $states.input %}' },
        },
        { QueryLanguage: 'JSONata' },
      ),
    ],
    ['legacy Iterator with Parameters', machine({ M: { Type: 'Map', Parameters: { 'i.$': '$$.Map.Item.Index' }, Iterator: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } })],
  ];
  for (const [name, definition] of valid) {
    it(name, () => {
      assert.deepEqual(messagesOf(definition), []);
    });
  }
});

describe('validateDefinition: InvalidDefinition messages', () => {
  const invalid: ReadonlyArray<readonly [string, JsonValue | string, readonly string[]]> = [
    ['not JSON', 'not a definition', ['INVALID_JSON_DESCRIPTION: ']],
    ['not an object', [], ['SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object at /']],
    ['missing States', { StartAt: 'A' }, ['SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /']],
    ['missing StartAt and States', {}, ['SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /']],
    ['unknown top-level field', { Coment: 'typo', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, ['SCHEMA_VALIDATION_FAILED: The field "Coment" is not supported by Step Functions at /']],
    ['StartAt target missing', { StartAt: 'Nope', States: { P: { Type: 'Pass', End: true } } }, ["MISSING_TRANSITION_TARGET: Missing 'StartAt' target: Nope at /StartAt"]],
    [
      'Next target missing and unreachable state',
      { StartAt: 'pass1', States: { pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } } },
      ["MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next", 'MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2'],
    ],
    ['invalid Type', machine({ X: { Type: 'Foo', End: true } }), ["SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/X/Type"]],
    ['missing Type', machine({ X: { End: true } }), ['SCHEMA_VALIDATION_FAILED: These fields are required: [Type] at /States/X']],
    ['both Next and End', machine({ P: { Type: 'Pass', Next: 'P', End: true } }), ["SCHEMA_VALIDATION_FAILED: Only one of 'Next' or 'End' can be specified at /States/P"]],
    ['neither Next nor End', machine({ P: { Type: 'Pass' }, S: { Type: 'Succeed' } }), ["SCHEMA_VALIDATION_FAILED: Either 'Next' or 'End' must be specified at /States/P", 'MISSING_TRANSITION_TARGET: State "S" is not reachable. at /States/S']],
    ['no terminal state', machine({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } }), ['MISSING_END_STATE: Workflow has no terminal state at /States']],
    ['Choice with End', machine({ C: { Type: 'Choice', Choices: [{ Variable: '$.a', IsNull: true, Next: 'S' }], End: true }, S: { Type: 'Succeed' } }), ['SCHEMA_VALIDATION_FAILED: The field "End" is not supported by Step Functions at /States/C']],
    ['Choice Default target missing', machine({ C: { Type: 'Choice', Choices: [{ Variable: '$.a', IsNull: true, Next: 'S' }], Default: 'Gone' }, S: { Type: 'Succeed' } }), ["MISSING_TRANSITION_TARGET: Missing 'Default' target: Gone at /States/C/Default"]],
    ['empty Choices', machine({ C: { Type: 'Choice', Choices: [] }, S: { Type: 'Succeed' } }), ['SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/C/Choices', 'MISSING_TRANSITION_TARGET: State "S" is not reachable. at /States/S']],
    ['choice rule without operator', machine({ C: { Type: 'Choice', Choices: [{ Variable: '$.a', Next: 'S' }] }, S: { Type: 'Succeed' } }), ['SCHEMA_VALIDATION_FAILED: A choice rule must contain exactly one comparison operator at /States/C/Choices/0']],
    ['choice operand of the wrong type', machine({ C: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: '1', Next: 'S' }] }, S: { Type: 'Succeed' } }), ["SCHEMA_VALIDATION_FAILED: The value for the field 'NumericEquals' must be a valid number at /States/C/Choices/0/NumericEquals"]],
    ['bad timestamp operand', machine({ C: { Type: 'Choice', Choices: [{ Variable: '$.a', TimestampEquals: '2016-03-14 01:59:00Z', Next: 'S' }] }, S: { Type: 'Succeed' } }), ["SCHEMA_VALIDATION_FAILED: The value for the field 'TimestampEquals' must be a valid timestamp at /States/C/Choices/0/TimestampEquals"]],
    ['nested rule with Next', machine({ C: { Type: 'Choice', Choices: [{ Not: { Variable: '$.a', IsNull: true, Next: 'S' }, Next: 'S' }] }, S: { Type: 'Succeed' } }), ["SCHEMA_VALIDATION_FAILED: Nested choice rules must not have a 'Next' field at /States/C/Choices/0/Not/Next"]],
    ['Wait timestamp', machine({ WaitUntil: { Type: 'Wait', Timestamp: '2016-12-05 21:29:29Z', End: true } }), ['SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at /States/WaitUntil/Timestamp']],
    ['Wait without duration', machine({ W: { Type: 'Wait', End: true } }), ["SCHEMA_VALIDATION_FAILED: Exactly one of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath' must be specified at /States/W"]],
    ['Wait with a negative Seconds', machine({ W: { Type: 'Wait', Seconds: -1, End: true } }), ["SCHEMA_VALIDATION_FAILED: The field 'Seconds' must be a non-negative integer at /States/W/Seconds"]],
    ['invalid InputPath', machine({ P: { Type: 'Pass', InputPath: 'a.b', End: true } }), ["SCHEMA_VALIDATION_FAILED: The value for the field 'InputPath' must be a valid JSONPath at /States/P/InputPath"]],
    ['ResultPath into the context', machine({ P: { Type: 'Pass', ResultPath: '$$.Execution', End: true } }), ["SCHEMA_VALIDATION_FAILED: The value for the field 'ResultPath' must be a valid ReferencePath at /States/P/ResultPath"]],
    ['ResultPath that is not a reference path', machine({ P: { Type: 'Pass', ResultPath: '$.a[*]', End: true } }), ["SCHEMA_VALIDATION_FAILED: The value for the field 'ResultPath' must be a valid ReferencePath at /States/P/ResultPath"]],
    ['bad .$ value', machine({ IntrinsicEscape: { Type: 'Pass', Parameters: { 'parsed.$': 'States.Nope(1)' }, End: true } }), ["SCHEMA_VALIDATION_FAILED: The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function call at /States/IntrinsicEscape/Parameters"]],
    ['nested bad .$ value', machine({ P: { Type: 'Pass', Parameters: { a: { 'b.$': 'nope' } }, End: true } }), ["SCHEMA_VALIDATION_FAILED: The value for the field 'b.$' must be a valid JSONPath or a valid intrinsic function call at /States/P/Parameters"]],
    ['unknown Task resource', machine({ Query: { Type: 'Task', Resource: 'not-an-arn', End: true } }), ['SCHEMA_VALIDATION_FAILED: The resource provided not-an-arn is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. at /States/Query/Resource']],
    ['Task without Resource', machine({ T: { Type: 'Task', End: true } }), ['SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /States/T']],
    ['TimeoutSeconds and TimeoutSecondsPath', machine({ T: { Type: 'Task', Resource: LAMBDA, TimeoutSeconds: 5, TimeoutSecondsPath: '$.t', End: true } }), ["SCHEMA_VALIDATION_FAILED: Only one of 'TimeoutSeconds' or 'TimeoutSecondsPath' can be specified at /States/T"]],
    ['HeartbeatSeconds not below TimeoutSeconds', machine({ T: { Type: 'Task', Resource: LAMBDA, TimeoutSeconds: 5, HeartbeatSeconds: 5, End: true } }), ["SCHEMA_VALIDATION_FAILED: The field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds' at /States/T/HeartbeatSeconds"]],
    ['Credentials without RoleArn', machine({ State0: { Type: 'Task', Resource: LAMBDA, Credentials: {}, End: true } }), ["SCHEMA_VALIDATION_FAILED: The field 'RoleArn' is required but was missing at /States/State0/Credentials"]],
    ['States.ALL not alone', machine({ T: { Type: 'Task', Resource: LAMBDA, Retry: [{ ErrorEquals: ['States.ALL', 'Custom'] }], End: true } }), ["SCHEMA_VALIDATION_FAILED: States.ALL must appear alone in 'ErrorEquals' at /States/T/Retry/0/ErrorEquals"]],
    [
      'States.ALL not in the last retrier',
      machine({ T: { Type: 'Task', Resource: LAMBDA, Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['Custom'] }], End: true } }),
      ["SCHEMA_VALIDATION_FAILED: States.ALL must appear in the last Retrier at /States/T/Retry/0/ErrorEquals"],
    ],
    [
      'States.ALL not in the last catcher',
      machine({ T: { Type: 'Task', Resource: LAMBDA, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'S' }, { ErrorEquals: ['X'], Next: 'S' }], End: true }, S: { Type: 'Succeed' } }),
      ["SCHEMA_VALIDATION_FAILED: States.ALL must appear in the last Catcher at /States/T/Catch/0/ErrorEquals"],
    ],
    ['retrier limits', machine({ T: { Type: 'Task', Resource: LAMBDA, Retry: [{ ErrorEquals: ['E'], BackoffRate: 0.5, MaxAttempts: -1, JitterStrategy: 'SOME' }], End: true } }), [
      "SCHEMA_VALIDATION_FAILED: The field 'MaxAttempts' must be an integer between 0 and 99999999 at /States/T/Retry/0/MaxAttempts",
      "SCHEMA_VALIDATION_FAILED: The field 'BackoffRate' must be a number greater than or equal to 1.0 at /States/T/Retry/0/BackoffRate",
      "SCHEMA_VALIDATION_FAILED: The field 'JitterStrategy' should have one of these values: [FULL, NONE] at /States/T/Retry/0/JitterStrategy",
    ]],
    ['Catch target missing', machine({ T: { Type: 'Task', Resource: LAMBDA, Catch: [{ ErrorEquals: ['E'], Next: 'Gone' }], End: true } }), ["MISSING_TRANSITION_TARGET: Missing 'Next' target: Gone at /States/T/Catch/0/Next"]],
    ['empty Branches', machine({ StateName: { Type: 'Parallel', Branches: [], End: true } }), ['SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/StateName/Branches']],
    [
      'transition out of a branch',
      machine({ P: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Next: 'Outside' } } }], Next: 'Outside' }, Outside: { Type: 'Succeed' } }),
      ["MISSING_TRANSITION_TARGET: Missing 'Next' target: Outside at /States/P/Branches/0/States/B/Next", 'MISSING_END_STATE: Workflow has no terminal state at /States/P/Branches/0/States'],
    ],
    ['duplicate state name across scopes', machine({ Add: { Type: 'Parallel', Branches: [{ StartAt: 'Add', States: { Add: { Type: 'Succeed' } } }], End: true } }), ['DUPLICATE_STATE_NAME: Duplicate State name: Add at /States/Add/Branches/0/States/Add']],
    ['Map without processor', machine({ M: { Type: 'Map', End: true } }), ["SCHEMA_VALIDATION_FAILED: Exactly one of 'ItemProcessor' or 'Iterator' must be specified at /States/M"]],
    ['Map tolerance out of range', machine({ M: { Type: 'Map', ToleratedFailurePercentage: 120, ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Succeed' } } }, End: true } }), ["SCHEMA_VALIDATION_FAILED: The field 'ToleratedFailurePercentage' must be a number between 0 and 100 at /States/M/ToleratedFailurePercentage"]],
    ['Map ItemReader in INLINE mode', machine({ M: { Type: 'Map', ItemReader: {}, ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Succeed' } } }, End: true } }), ["SCHEMA_VALIDATION_FAILED: The field 'ItemReader' is only supported for a Map state in DISTRIBUTED processor mode at /States/M/ItemReader"]],
    ['ItemBatcher without a limit', machine({ M: { Type: 'Map', ItemBatcher: {}, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'I', States: { I: { Type: 'Succeed' } } }, End: true } }), ["SCHEMA_VALIDATION_FAILED: At least one of 'MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch' or 'MaxInputBytesPerBatchPath' must be specified at /States/M/ItemBatcher"]],
    ['Fail with both Error and ErrorPath', machine({ F: { Type: 'Fail', Error: 'E', ErrorPath: '$.e' } }), ["SCHEMA_VALIDATION_FAILED: Only one of 'Error' or 'ErrorPath' can be specified at /States/F"]],
    ['JSONPath field in a JSONata state', machine({ P: { Type: 'Pass', QueryLanguage: 'JSONata', InputPath: '$.a', End: true } }), ['SCHEMA_VALIDATION_FAILED: The field "InputPath" is not supported by Step Functions at /States/P']],
    ['JSONata field in a JSONPath state', machine({ P: { Type: 'Pass', Output: {}, End: true } }), ['SCHEMA_VALIDATION_FAILED: The field "Output" is not supported by Step Functions at /States/P']],
    ['downgrading to JSONPath', machine({ P: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } }, { QueryLanguage: 'JSONata' }), ["SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/P/QueryLanguage"]],
    ['invalid variable name', machine({ P: { Type: 'Pass', Assign: { '1x': 1, states: 2 }, End: true } }), ["SCHEMA_VALIDATION_FAILED: The variable name '1x' is not valid at /States/P/Assign", "SCHEMA_VALIDATION_FAILED: The variable name 'states' is not valid at /States/P/Assign"]],
    ['Assign on Succeed', machine({ S: { Type: 'Succeed', Assign: { x: 1 } } }), ['SCHEMA_VALIDATION_FAILED: The field "Assign" is not supported by Step Functions at /States/S']],
    ['JSONata Choice rule without Condition', machine({ C: { Type: 'Choice', Choices: [{ Next: 'S' }] }, S: { Type: 'Succeed' } }, { QueryLanguage: 'JSONata' }), ["SCHEMA_VALIDATION_FAILED: The field 'Condition' must be a boolean or a JSONata expression at /States/C/Choices/0/Condition"]],
    ['top-level TimeoutSeconds', machine({ P: { Type: 'Pass', End: true } }, { TimeoutSeconds: 0 }), ["SCHEMA_VALIDATION_FAILED: The field 'TimeoutSeconds' must be an integer between 1 and 99999999 at /TimeoutSeconds"]],
  ];
  for (const [name, definition, expected] of invalid) {
    it(name, () => {
      const messages = messagesOf(definition);
      if (expected.length === 1 && expected[0].endsWith(': ')) {
        assert.equal(messages.length, 1);
        assert.ok(messages[0].startsWith(expected[0]), messages[0]);
        return;
      }
      assert.deepEqual(messages, expected);
    });
  }

  it('joins every finding into one InvalidDefinition message', () => {
    const result = validateDefinition({ StartAt: 'pass1', States: { pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } } });
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(
        result.message,
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'",
      );
    }
  });
});

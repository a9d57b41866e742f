import { buildContextObject } from './context-object.js';
import { queryLanguageOf } from './definition.js';
import { evaluateJsonata, jsonataExpressionOf, renderJsonata } from './jsonata-evaluator.js';
import { evaluateDynamicValue, renderPayloadTemplate } from './payload-template.js';
import { queryPathField } from './path-query.js';
import { applyResultPath } from './result-path.js';
import { inspectStage, lookupVariable, visibleVariables } from './step-context.js';
import type { ContextExtras } from './context-object.js';
import type { CatcherDefinition, QueryLanguage, StateDefinition } from './definition.js';
import type { StateRun } from './execution-state.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { JsonataScope } from './jsonata-evaluator.js';
import type { PathScope } from './path-query.js';
import type { FrameCursor, InspectionStage, StepContext } from './step-context.js';

/** A state's output and the variables it assigns, which take effect in the next state. */
export interface StateOutcome {
  readonly output: JsonValue;
  readonly assigned?: JsonObject;
}

interface DataFields {
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
  readonly Parameters?: JsonObject;
  readonly Arguments?: JsonValue;
  readonly ResultSelector?: JsonObject;
  readonly ResultPath?: string | null;
  readonly Assign?: JsonObject;
  readonly Output?: JsonValue;
}

/**
 * Input and output processing for one visit to a state, in the state's query
 * language: for JSONPath, InputPath → Parameters → (work) → ResultSelector →
 * ResultPath → OutputPath, with Assign reading the result
 * (https://states-language.net/spec.html#filters); for JSONata, Arguments →
 * (work) → Output and Assign over $states
 * (https://states-language.net/spec.html#input-and-output-processing-with-jsonata).
 */
export class StateData {
  readonly language: QueryLanguage;
  private readonly fields: DataFields;

  constructor(
    readonly ctx: StepContext,
    readonly cursor: FrameCursor,
    readonly run: StateRun,
    readonly state: StateDefinition,
  ) {
    this.language = queryLanguageOf(state, ctx.definition);
    this.fields = state as DataFields;
  }

  get isJsonata(): boolean {
    return this.language === 'JSONata';
  }

  contextObject(extras?: ContextExtras): JsonObject {
    return buildContextObject(this.ctx.state.info, this.run, extras);
  }

  pathScope(input: JsonValue, extras?: ContextExtras): PathScope {
    // Built on first use: most paths never read $$, and building it formats timestamps.
    let context: JsonObject | undefined;
    const build = (): JsonObject => (context ??= this.contextObject(extras));
    return {
      input,
      get context() {
        return build();
      },
      variable: (name) => lookupVariable(this.cursor, name),
    };
  }

  jsonataScope(states: { readonly result?: JsonValue; readonly errorOutput?: JsonValue; readonly extras?: ContextExtras } = {}): JsonataScope {
    const statesVariable: JsonObject = { input: this.run.input, context: this.contextObject(states.extras) };
    if (states.result !== undefined) statesVariable.result = states.result;
    if (states.errorOutput !== undefined) statesVariable.errorOutput = states.errorOutput;
    return { evaluator: this.ctx.env.jsonata, bindings: { ...visibleVariables(this.cursor), states: statesVariable } };
  }

  /** The raw input after InputPath (JSONPath); JSONata states use the raw input. */
  effectiveInput(): JsonValue {
    const inputPath = this.fields.InputPath;
    if (this.isJsonata) return this.run.input;
    const effective = inputPath === undefined ? this.run.input : inputPath === null ? {} : queryPathField(inputPath, this.pathScope(this.run.input));
    this.inspect('afterInputPath', effective);
    return effective;
  }

  private inspect(stage: InspectionStage, value: JsonValue): void {
    inspectStage(this.ctx, this.cursor, this.run.name, stage, value);
  }

  /** What a Task sends or a Parallel gives its branches: Parameters over the effective input, or Arguments. */
  payload(effectiveInput: JsonValue, extras?: ContextExtras): JsonValue {
    if (this.isJsonata) {
      const args = this.fields.Arguments;
      const payload = args === undefined ? this.run.input : renderJsonata(args, 'Arguments', this.jsonataScope({ extras }));
      this.inspect('afterArguments', payload);
      return payload;
    }
    const parameters = this.fields.Parameters;
    const payload = parameters === undefined ? effectiveInput : renderPayloadTemplate(parameters, this.pathScope(effectiveInput, extras), this.ctx.env.random);
    this.inspect('afterParameters', payload);
    return payload;
  }

  /**
   * A field given as a literal, as a "...Path" Reference Path (JSONPath) or as
   * a JSONata expression. Returns the raw value for the caller to validate.
   */
  dynamicField(name: string, effectiveInput: JsonValue): JsonValue | undefined {
    const record = this.state as unknown as Readonly<Record<string, JsonValue | undefined>>;
    const value = record[name];
    if (this.isJsonata) {
      const expression = typeof value === 'string' ? jsonataExpressionOf(value) : undefined;
      return expression === undefined ? value : evaluateJsonata(expression, name, this.jsonataScope());
    }
    const path = record[`${name}Path`];
    if (typeof path === 'string') return queryPathField(path, this.pathScope(effectiveInput));
    return value;
  }

  /** Error and Cause of a Fail state: literals, "...Path" paths or intrinsics, or JSONata. */
  failField(name: 'Error' | 'Cause'): JsonValue | undefined {
    const record = this.state as unknown as Readonly<Record<string, JsonValue | undefined>>;
    const path = record[`${name}Path`];
    if (!this.isJsonata && typeof path === 'string') return evaluateDynamicValue(`${name}Path`, path, this.pathScope(this.run.input), this.ctx.env.random);
    return this.dynamicField(name, this.run.input);
  }

  /** Task, Parallel and Map: shape the result into the state output. */
  fromResult(result: JsonValue): StateOutcome {
    this.inspect('result', result);
    if (this.isJsonata) {
      const scope = this.jsonataScope({ result });
      return { output: this.jsonataOutput(scope, result), assigned: this.jsonataAssign(this.fields.Assign, scope) };
    }
    // Assign reads the raw result, in parallel with ResultSelector
    // (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html#using-variables-in-jsonpath-states).
    const assigned = this.pathAssign(this.fields.Assign, result);
    const selector = this.fields.ResultSelector;
    const selected = selector === undefined ? result : renderPayloadTemplate(selector, this.pathScope(result), this.ctx.env.random);
    this.inspect('afterResultSelector', selected);
    const combined = applyResultPath(this.run.input, this.fields.ResultPath, selected);
    this.inspect('afterResultPath', combined);
    return { output: this.applyOutputPath(combined), assigned };
  }

  /** Pass state: Result (or the effective input after Parameters) is a virtual task's result. */
  fromPass(result: JsonValue): StateOutcome {
    this.inspect('result', result);
    if (this.isJsonata) {
      const scope = this.jsonataScope();
      return { output: this.jsonataOutput(scope, this.run.input), assigned: this.jsonataAssign(this.fields.Assign, scope) };
    }
    const assigned = this.pathAssign(this.fields.Assign, result);
    const combined = applyResultPath(this.run.input, this.fields.ResultPath, result);
    this.inspect('afterResultPath', combined);
    return { output: this.applyOutputPath(combined), assigned };
  }

  /**
   * Choice, Wait and Succeed have no result: the output is the effective input
   * through OutputPath, or JSONata Output. `assign` and `output` override the
   * state's own (a Choice Rule's fields).
   */
  passThrough(effectiveInput: JsonValue, overrides: { readonly assign?: JsonObject; readonly output?: JsonValue } = {}): StateOutcome {
    const assign = overrides.assign ?? this.fields.Assign;
    if (this.isJsonata) {
      const scope = this.jsonataScope();
      const template = overrides.output ?? this.fields.Output;
      return {
        output: template === undefined ? this.run.input : renderJsonata(template, 'Output', scope),
        assigned: this.jsonataAssign(assign, scope),
      };
    }
    return { output: this.applyOutputPath(effectiveInput), assigned: this.pathAssign(assign, effectiveInput) };
  }

  /** The input for a Catcher's Next state: the Error Output placed by ResultPath, or JSONata Output. */
  fromCaughtError(catcher: CatcherDefinition, errorOutput: JsonObject): StateOutcome {
    if (this.isJsonata) {
      const scope = this.jsonataScope({ errorOutput });
      const output = catcher.Output === undefined ? errorOutput : renderJsonata(catcher.Output, 'Output', scope);
      return { output, assigned: this.jsonataAssign(catcher.Assign, scope) };
    }
    const assigned = this.pathAssign(catcher.Assign, errorOutput);
    return { output: applyResultPath(this.run.input, catcher.ResultPath, errorOutput), assigned };
  }

  private applyOutputPath(value: JsonValue): JsonValue {
    const outputPath = this.fields.OutputPath;
    if (outputPath === undefined) return value;
    if (outputPath === null) return {};
    return queryPathField(outputPath, this.pathScope(value));
  }

  private pathAssign(template: JsonObject | undefined, input: JsonValue): JsonObject | undefined {
    if (template === undefined) return undefined;
    return renderPayloadTemplate(template, this.pathScope(input), this.ctx.env.random) as JsonObject;
  }

  private jsonataAssign(template: JsonObject | undefined, scope: JsonataScope): JsonObject | undefined {
    if (template === undefined) return undefined;
    return renderJsonata(template, 'Assign', scope) as JsonObject;
  }

  private jsonataOutput(scope: JsonataScope, fallback: JsonValue): JsonValue {
    const template = this.fields.Output;
    return template === undefined ? fallback : renderJsonata(template, 'Output', scope);
  }
}

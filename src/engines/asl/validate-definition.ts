import { isJsonObject, parseJsonText } from './json-value.js';
import { DiagnosticSink, formatInvalidDefinition } from './validation-report.js';
import { checkAllowedFields, checkIntegerField } from './validate-fields.js';
import { STATE_TYPES, checkState } from './validate-state.js';
import type { QueryLanguage, StateMachineDefinition, StateType } from './definition.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { DefinitionDiagnostic } from './validation-report.js';

export type ValidationResult =
  | { readonly ok: true; readonly definition: StateMachineDefinition }
  | { readonly ok: false; readonly diagnostics: readonly DefinitionDiagnostic[]; readonly message: string };

const TOP_LEVEL_FIELDS = new Set(['Comment', 'StartAt', 'States', 'Version', 'TimeoutSeconds', 'QueryLanguage']);
const BLOCK_FIELDS = new Set(['Comment', 'StartAt', 'States', 'ProcessorConfig']);
const MAX_STATE_NAME_LENGTH = 80;

/**
 * Validates a definition (JSON text or parsed) the way CreateStateMachine
 * does, answering AWS-style InvalidDefinition messages: schema problems
 * (SCHEMA_VALIDATION_FAILED), Next/Default/StartAt targets that do not exist
 * in the same States block or states nothing reaches (MISSING_TRANSITION_TARGET),
 * a block without a terminal state (MISSING_END_STATE) and state names used
 * twice anywhere in the machine (DUPLICATE_STATE_NAME).
 */
export function validateDefinition(source: string | JsonValue): ValidationResult {
  const sink = new DiagnosticSink();
  let definition: JsonValue;
  try {
    definition = typeof source === 'string' ? parseJsonText(source) : source;
  } catch (error) {
    sink.add('INVALID_JSON_DESCRIPTION', '/', error instanceof Error ? error.message : 'Invalid JSON');
    return failed(sink);
  }
  if (!isJsonObject(definition)) {
    sink.schema('/', 'Definition must be a valid JSON object');
    return failed(sink);
  }
  checkAllowedFields(sink, '/', definition, TOP_LEVEL_FIELDS);
  const language = definition.QueryLanguage ?? 'JSONPath';
  if (language !== 'JSONPath' && language !== 'JSONata') {
    sink.schema('/QueryLanguage', "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]");
  }
  checkIntegerField(sink, '/', definition, 'TimeoutSeconds', 1, 99_999_999);
  const walker = new BlockWalker(sink, language === 'JSONata' ? 'JSONata' : 'JSONPath');
  walker.checkBlock('', definition, true);
  return sink.diagnostics.length === 0 ? { ok: true, definition: definition as unknown as StateMachineDefinition } : failed(sink);
}

function failed(sink: DiagnosticSink): ValidationResult {
  return { ok: false, diagnostics: sink.diagnostics, message: formatInvalidDefinition(sink.diagnostics) };
}

class BlockWalker {
  private readonly seenNames = new Set<string>();

  constructor(
    private readonly sink: DiagnosticSink,
    private readonly machineLanguage: QueryLanguage,
  ) {}

  /** A States block: the top level, a Parallel branch or a Map processor. */
  checkBlock(location: string, block: JsonObject, topLevel: boolean): void {
    if (!topLevel) checkAllowedFields(this.sink, location || '/', block, BLOCK_FIELDS);
    const missing = ['States', 'StartAt'].filter((field) => block[field] === undefined);
    if (missing.length > 0) {
      this.sink.schema(location || '/', `These fields are required: [${missing.join(', ')}]`);
      return;
    }
    const states = block.States;
    if (!isJsonObject(states) || Object.keys(states).length === 0) {
      this.sink.schema(`${location}/States`, 'Value cannot be empty');
      return;
    }
    const startAt = block.StartAt;
    if (typeof startAt !== 'string' || !(startAt in states)) {
      this.sink.add('MISSING_TRANSITION_TARGET', `${location}/StartAt`, `Missing 'StartAt' target: ${typeof startAt === 'string' ? startAt : JSON.stringify(startAt)}`);
    }
    for (const [name, state] of Object.entries(states)) this.checkNamedState(`${location}/States/${name}`, name, state);
    this.checkGraph(location, states, typeof startAt === 'string' ? startAt : undefined);
  }

  private checkNamedState(location: string, name: string, state: JsonValue): void {
    if (this.seenNames.has(name)) this.sink.add('DUPLICATE_STATE_NAME', location, `Duplicate State name: ${name}`);
    this.seenNames.add(name);
    if (name.length > MAX_STATE_NAME_LENGTH) this.sink.schema(location, `State name '${name}' is longer than ${MAX_STATE_NAME_LENGTH} characters`);
    if (!isJsonObject(state)) {
      this.sink.schema(location, 'A state must be a JSON object');
      return;
    }
    const type = state.Type;
    if (type === undefined) {
      this.sink.schema(location, 'These fields are required: [Type]');
      return;
    }
    if (typeof type !== 'string' || !STATE_TYPES.includes(type as StateType)) {
      this.sink.schema(`${location}/Type`, `The field 'Type' should have one of these values: [${STATE_TYPES.join(', ')}]`);
      return;
    }
    const language = this.languageOf(location, state);
    checkState(this.sink, location, state, type as StateType, language);
    if (type === 'Parallel' && Array.isArray(state.Branches)) {
      state.Branches.forEach((branch, i) => {
        this.checkNested(`${location}/Branches/${i}`, branch);
      });
    }
    if (type === 'Map') {
      const field = state.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
      if (state[field] !== undefined) this.checkNested(`${location}/${field}`, state[field]);
    }
  }

  private checkNested(location: string, block: JsonValue): void {
    if (isJsonObject(block)) this.checkBlock(location, block, false);
    else this.sink.schema(location, 'The value must be a JSON object with StartAt and States');
  }

  /** A state may pick its own language, but not JSONPath inside a JSONata machine (AWS refuses that downgrade). */
  private languageOf(location: string, state: JsonObject): QueryLanguage {
    const own = state.QueryLanguage;
    if (own === undefined) return this.machineLanguage;
    if (own !== 'JSONPath' && own !== 'JSONata') {
      this.sink.schema(`${location}/QueryLanguage`, "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]");
      return this.machineLanguage;
    }
    if (own === 'JSONPath' && this.machineLanguage === 'JSONata') {
      this.sink.schema(`${location}/QueryLanguage`, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
    }
    return own;
  }

  /** Every transition must name a state of the same block, every state must be reachable, and some state must end the block. */
  private checkGraph(location: string, states: JsonObject, startAt: string | undefined): void {
    const edges = new Map<string, string[]>();
    let hasTerminal = false;
    for (const [name, state] of Object.entries(states)) {
      if (!isJsonObject(state)) continue;
      const targets = transitionsOf(state);
      edges.set(
        name,
        targets.map((target) => target.name),
      );
      for (const target of targets) {
        if (!(target.name in states)) {
          this.sink.add('MISSING_TRANSITION_TARGET', `${location}/States/${name}/${target.field}`, `Missing '${target.label}' target: ${target.name}`);
        }
      }
      if (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail') hasTerminal = true;
    }
    if (!hasTerminal) this.sink.add('MISSING_END_STATE', `${location}/States`, 'Workflow has no terminal state');
    if (startAt === undefined || !(startAt in states)) return;
    const reached = new Set([startAt]);
    const queue = [startAt];
    while (queue.length > 0) {
      for (const next of edges.get(queue.shift()!) ?? []) {
        if (!reached.has(next) && next in states) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    for (const name of Object.keys(states)) {
      if (!reached.has(name)) this.sink.add('MISSING_TRANSITION_TARGET', `${location}/States/${name}`, `State "${name}" is not reachable.`);
    }
  }
}

interface Transition {
  readonly name: string;
  /** Location of the field under the state, e.g. "Next" or "Choices/0/Next". */
  readonly field: string;
  readonly label: string;
}

function transitionsOf(state: JsonObject): Transition[] {
  const transitions: Transition[] = [];
  if (typeof state.Next === 'string') transitions.push({ name: state.Next, field: 'Next', label: 'Next' });
  if (typeof state.Default === 'string') transitions.push({ name: state.Default, field: 'Default', label: 'Default' });
  for (const [field, list] of [
    ['Choices', state.Choices],
    ['Catch', state.Catch],
  ] as const) {
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      if (isJsonObject(item) && typeof item.Next === 'string') transitions.push({ name: item.Next, field: `${field}/${i}/Next`, label: 'Next' });
    });
  }
  return transitions;
}

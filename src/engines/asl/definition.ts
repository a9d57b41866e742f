import type { JsonObject, JsonValue } from './json-value.js';
import type { RetrierDefinition } from './retry-policy.js';

/**
 * The shape of a state machine definition once validateDefinition has
 * accepted it (https://states-language.net/spec.html). Fields that JSONata
 * states may give as "{% expression %}" strings are typed as number | string.
 */
export type QueryLanguage = 'JSONPath' | 'JSONata';
export type StateType = 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';

export interface StatesBlock {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, StateDefinition>>;
}

export interface StateMachineDefinition extends StatesBlock {
  readonly Comment?: string;
  readonly Version?: string;
  readonly QueryLanguage?: QueryLanguage;
  readonly TimeoutSeconds?: number;
}

interface CommonFields {
  readonly Comment?: string;
  readonly QueryLanguage?: QueryLanguage;
  readonly Next?: string;
  readonly End?: boolean;
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
  readonly Assign?: JsonObject;
  readonly Output?: JsonValue;
}

export interface CatcherDefinition {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
  readonly Assign?: JsonObject;
  readonly Output?: JsonValue;
}

interface ErrorHandlingFields {
  readonly Retry?: readonly RetrierDefinition[];
  readonly Catch?: readonly CatcherDefinition[];
  readonly ResultSelector?: JsonObject;
  readonly ResultPath?: string | null;
}

export interface PassState extends CommonFields {
  readonly Type: 'Pass';
  readonly Result?: JsonValue;
  readonly ResultPath?: string | null;
  readonly Parameters?: JsonObject;
}

export interface TaskState extends CommonFields, ErrorHandlingFields {
  readonly Type: 'Task';
  readonly Resource: string;
  readonly Parameters?: JsonObject;
  readonly Arguments?: JsonValue;
  readonly TimeoutSeconds?: number | string;
  readonly TimeoutSecondsPath?: string;
  readonly HeartbeatSeconds?: number | string;
  readonly HeartbeatSecondsPath?: string;
  readonly Credentials?: JsonObject;
}

export type ChoiceRule = JsonObject;

export interface ChoiceState extends CommonFields {
  readonly Type: 'Choice';
  readonly Choices: readonly ChoiceRule[];
  readonly Default?: string;
}

export interface WaitState extends CommonFields {
  readonly Type: 'Wait';
  readonly Seconds?: number | string;
  readonly SecondsPath?: string;
  readonly Timestamp?: string;
  readonly TimestampPath?: string;
}

export interface SucceedState extends CommonFields {
  readonly Type: 'Succeed';
}

export interface FailState {
  readonly Type: 'Fail';
  readonly Comment?: string;
  readonly QueryLanguage?: QueryLanguage;
  readonly Error?: string;
  readonly ErrorPath?: string;
  readonly Cause?: string;
  readonly CausePath?: string;
}

export interface ProcessorDefinition extends StatesBlock {
  readonly ProcessorConfig?: { readonly Mode?: 'INLINE' | 'DISTRIBUTED'; readonly ExecutionType?: string };
}

export interface ParallelState extends CommonFields, ErrorHandlingFields {
  readonly Type: 'Parallel';
  readonly Branches: readonly StatesBlock[];
  readonly Parameters?: JsonObject;
  readonly Arguments?: JsonValue;
}

export interface MapState extends CommonFields, ErrorHandlingFields {
  readonly Type: 'Map';
  readonly ItemProcessor?: ProcessorDefinition;
  readonly Iterator?: ProcessorDefinition;
  readonly ItemsPath?: string;
  readonly Items?: JsonValue;
  readonly ItemSelector?: JsonValue;
  readonly Parameters?: JsonObject;
  readonly MaxConcurrency?: number | string;
  readonly MaxConcurrencyPath?: string;
  readonly ToleratedFailureCount?: number | string;
  readonly ToleratedFailureCountPath?: string;
  readonly ToleratedFailurePercentage?: number | string;
  readonly ToleratedFailurePercentagePath?: string;
  readonly Label?: string;
  /** Distributed mode only. */
  readonly ItemReader?: JsonObject;
  readonly ItemBatcher?: JsonObject;
  readonly ResultWriter?: JsonObject;
}

export type StateDefinition = PassState | TaskState | ChoiceState | WaitState | SucceedState | FailState | ParallelState | MapState;

export function processorOf(state: MapState): ProcessorDefinition {
  return (state.ItemProcessor ?? state.Iterator)!;
}

export function queryLanguageOf(state: StateDefinition, machine: StateMachineDefinition): QueryLanguage {
  // States inside Map and Parallel default to the machine's language, not their parent's
  // (https://states-language.net/spec.html#query-language).
  return state.QueryLanguage ?? machine.QueryLanguage ?? 'JSONPath';
}

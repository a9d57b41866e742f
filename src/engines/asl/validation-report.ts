/**
 * Findings of definition validation, reported the way CreateStateMachine's
 * InvalidDefinition error words them, e.g.
 * "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next'".
 */
export type DiagnosticCode =
  | 'SCHEMA_VALIDATION_FAILED'
  | 'MISSING_TRANSITION_TARGET'
  | 'MISSING_END_STATE'
  | 'DUPLICATE_STATE_NAME'
  | 'INVALID_JSON_DESCRIPTION';

export interface DefinitionDiagnostic {
  readonly code: DiagnosticCode;
  readonly message: string;
  /** JSON-pointer-like location, e.g. /States/X/Next; "/" for the top level. */
  readonly location: string;
}

function formatDiagnostic(diagnostic: DefinitionDiagnostic): string {
  return `${diagnostic.code}: ${diagnostic.message} at ${diagnostic.location}`;
}

export function formatInvalidDefinition(diagnostics: readonly DefinitionDiagnostic[]): string {
  return `Invalid State Machine Definition: '${diagnostics.map(formatDiagnostic).join(', ')}'`;
}

/** Collects diagnostics while the validator walks the definition. */
export class DiagnosticSink {
  readonly diagnostics: DefinitionDiagnostic[] = [];

  schema(location: string, message: string): void {
    this.diagnostics.push({ code: 'SCHEMA_VALIDATION_FAILED', message, location });
  }

  add(code: DiagnosticCode, location: string, message: string): void {
    this.diagnostics.push({ code, message, location });
  }
}

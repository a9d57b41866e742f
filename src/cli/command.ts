/** What every `nimbus` subcommand module exports, and how a command reports misuse. */

export interface CommandModule {
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** Wrong flags or arguments: the CLI prints the message and the command's usage, and exits with 2. */
export class UsageError extends Error {}

/** Exit codes: 1 for a failure (an invoked function's error, an error answer, Nimbus unreachable), 2 for misuse. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

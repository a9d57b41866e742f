/** A small leveled logger to stderr; NIMBUS_LOG_LEVEL=debug|info|warn|error|silent. */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

let threshold: number = LEVELS[(process.env.NIMBUS_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? LEVELS.info;

export function setLogLevel(level: LogLevel): void {
  threshold = LEVELS[level];
}

function write(level: LogLevel, scope: string, message: string): void {
  if (LEVELS[level] < threshold) return;
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${message}\n`);
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function logger(scope: string): Logger {
  return {
    debug: (m) => {
      write('debug', scope, m);
    },
    info: (m) => {
      write('info', scope, m);
    },
    warn: (m) => {
      write('warn', scope, m);
    },
    error: (m) => {
      write('error', scope, m);
    },
  };
}

#!/usr/bin/env node
/**
 * The `nimbus` command. Each subcommand lives in its own module, loaded only when named, so that
 * `nimbus start` never loads the client code of `invoke` and `logs`, and they never load the server.
 */
import type { CommandModule } from './command.js';
import { EXIT, UsageError } from './command.js';

interface Command {
  usage: string;
  load(): Promise<CommandModule>;
}

const COMMANDS: Record<string, Command> = {
  start: {
    usage: `nimbus start [--host 127.0.0.1] [--port 4566] [--data-dir ./.nimbus] [--ephemeral]
      Runs Nimbus. Environment: NIMBUS_HOST, NIMBUS_PORT, NIMBUS_DATA_DIR, NIMBUS_EPHEMERAL,
      NIMBUS_DEFAULT_REGION, NIMBUS_MAX_BODY_BYTES, NIMBUS_LOG_LEVEL (debug|info|warn|error|silent).`,
    load: () => import('./start.js'),
  },
  invoke: {
    usage: `nimbus invoke NAME [--payload JSON|@file|@-] [--qualifier Q] [--log] [--endpoint URL] [--region R]
      Invokes a function and prints its response; --log prints its log tail on stderr. Exits 1 on a function error.`,
    load: () => import('./invoke.js'),
  },
  logs: {
    usage: `nimbus logs NAME [--since 10m] [--follow] [--endpoint URL] [--region R]
      Prints the function's log events (/aws/lambda/NAME); --follow keeps printing new ones until Ctrl-C.`,
    load: () => import('./logs.js'),
  },
};

const ENDPOINT_NOTE = `invoke and logs talk to a running Nimbus: --endpoint, else NIMBUS_ENDPOINT, else AWS_ENDPOINT_URL,
else http://127.0.0.1:4566 (NIMBUS_HOST and NIMBUS_PORT change it). The region: --region, else AWS_REGION,
else AWS_DEFAULT_REGION, else us-east-1.`;

function help(): string {
  return `Usage:\n${Object.values(COMMANDS).map((command) => `  ${command.usage}`).join('\n')}\n\n${ENDPOINT_NOTE}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      process.stdout.write(help());
      return EXIT.ok;
    }
    process.stderr.write(`nimbus: unknown command '${name}'\n${help()}`);
    return EXIT.usage;
  }
  try {
    return await (await command.load()).run(args);
  } catch (error) {
    // node:util parseArgs reports unknown or malformed flags with ERR_PARSE_ARGS_* codes.
    const code = (error as { code?: unknown }).code;
    const misuse = error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
    process.stderr.write(`nimbus: ${error instanceof Error ? error.message : String(error)}\n`);
    if (misuse) process.stderr.write(`Usage: ${command.usage}\n`);
    return misuse ? EXIT.usage : EXIT.failed;
  }
}

process.exitCode = await main(process.argv.slice(2));

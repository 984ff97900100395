/**
 * `thinkbench <command> …`: one dispatcher; each command is an entry in `commands` with its own
 * summary, usage and run function. `--help` works for the tool and for every command; a bad
 * command line prints a clear message and the usage and exits 2, a failure exits 1.
 */
import { benchCommand } from './bench';
import { gradeCommand } from './grade';
import { serveCommand } from './serve';
import { runPull, PULL_USAGE } from './pull';
import { EXIT, processIo, UsageError, type CliIo, type Command } from './io';

export const commands = {
  bench: benchCommand,
  grade: gradeCommand,
  serve: serveCommand,
  pull: {
    summary: 'download a Hugging Face model into public/models/ for offline use',
    usage: PULL_USAGE,
    run: (argv, io) => runPull(argv, { stdout: io.stdout, stderr: io.stderr }),
  },
} satisfies Record<string, Command>;

export type CommandName = keyof typeof commands;

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

export function toolUsage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return ['Usage: thinkbench <command> [options]', '', 'Commands:', ...lines, '', 'Run `thinkbench <command> --help` for a command\'s options.'].join('\n');
}

const HELP = new Set(['--help', '-h']);

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || HELP.has(name) || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && isCommandName(topic)) {
      io.stdout.write(`${commands[topic].usage}\n`);
      return EXIT.ok;
    }
    (name === undefined ? io.stderr : io.stdout).write(`${toolUsage()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (!isCommandName(name)) {
    io.stderr.write(`thinkbench: unknown command "${name}"\n\n${toolUsage()}\n`);
    return EXIT.usage;
  }
  const command: Command = commands[name];
  if (rest.some((arg) => HELP.has(arg))) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`thinkbench ${name}: ${error.message}\n\n${command.usage}\n`);
      return EXIT.usage;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr.write(`thinkbench ${name}: ${message}\n`);
    return EXIT.failure;
  }
}

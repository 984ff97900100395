/** Where a command writes: the process's streams, or a test's buffers. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A bad command line: the dispatcher prints the message and the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Command {
  /** One line for `thinkbench --help`. */
  summary: string;
  /** Full help for `thinkbench <command> --help`. */
  usage: string;
  /** Returns the exit code; throws UsageError for bad arguments. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

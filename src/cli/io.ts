// What a CLI command may touch, passed in so commands run in tests without a process or disk.

/** The command's window on the world. Paths given to `readFile`/`writeFile` are absolute. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  /** The file's bytes as they are read, in chunks (large traces are never held whole). */
  readStream(path: string): AsyncIterable<Uint8Array>;
  writeFile(path: string, text: string): Promise<void>;
  /** Whether the path is a directory; false for files and for paths that do not exist. */
  isDirectory(path: string): Promise<boolean>;
  /** The entries of a directory. */
  listDirectory(path: string): Promise<{ readonly name: string; readonly directory: boolean }[]>;
  /** Directory that relative paths on the command line are resolved against. */
  readonly cwd: string;
}

/** A subcommand: `gatehouse <name> ...`. `name` may have several words (`catalog import`). */
export interface Command {
  readonly name: string;
  /** One line for `gatehouse --help`. */
  readonly summary: string;
  /** Full usage text for `gatehouse <name> --help` and usage errors. */
  readonly usage: string;
  /** Runs with the arguments after the command's name; resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Exit codes: 0 success, 1 errors in the input (or I/O), 2 wrong usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

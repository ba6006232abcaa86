// A tiny command-line option parser: `--name value`, `--name=value`, `-n value`, boolean
// flags, `--` to end options. Reports problems as messages instead of throwing.

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** One-letter alias, without the dash. */
  readonly short?: string;
  /** Placeholder shown in messages, e.g. `file.gate`. */
  readonly value?: string;
}

export interface ParsedArgs {
  readonly positionals: string[];
  /** Option values by long name; boolean flags are `true`. */
  readonly options: Map<string, string | true>;
  /** Usage problems, one line each; empty when the command line is fine. */
  readonly errors: string[];
}

/** Parses `argv` against `spec` (long option name → how it is written). */
export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, OptionSpec>>): ParsedArgs {
  const names = new Map(Object.entries(spec));
  const shorts = new Map([...names].flatMap(([name, option]) => (option.short ? [[option.short, name] as const] : [])));
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  const errors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const equals = long ? arg.indexOf('=') : -1;
    const written = equals >= 0 ? arg.slice(0, equals) : arg;
    const name = long ? written.slice(2) : shorts.get(written.slice(1));
    const option = name === undefined ? undefined : names.get(name);
    if (name === undefined || option === undefined) {
      errors.push(`unknown option \`${written}\``);
      continue;
    }
    if (options.has(name)) errors.push(`\`--${name}\` is given more than once`);
    if (option.type === 'boolean') {
      if (equals >= 0) errors.push(`\`--${name}\` takes no value`);
      options.set(name, true);
      continue;
    }
    const value = equals >= 0 ? arg.slice(equals + 1) : argv[++i];
    if (value === undefined || (equals < 0 && value.startsWith('-') && value !== '-')) {
      errors.push(`\`--${name}\` needs a value${option.value ? ` (${option.value})` : ''}`);
      if (value !== undefined) i--;
      continue;
    }
    options.set(name, value);
  }
  return { positionals, options, errors };
}

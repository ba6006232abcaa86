// The `gatehouse` command line: finds the subcommand in the registry and runs it with the
// given io. The only Node wiring lives in bin/gatehouse.mjs, so every path here is testable.

import { COMMANDS } from './commands';
import { editDistance } from '../language/suggest';
import { EXIT, type CliIo, type Command } from './io';

/** Runs `gatehouse <argv...>`; resolves to the process exit code. Never rejects. */
export async function main(argv: readonly string[], io: CliIo, commands: readonly Command[] = COMMANDS): Promise<number> {
  const first = argv[0];
  if (first === undefined) {
    io.stderr(generalHelp(commands));
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    return showHelp(argv.slice(1), io, commands);
  }
  const command = findCommand(argv, commands);
  if (!command) return unknownCommand(argv, io, commands);
  const args = argv.slice(command.name.split(' ').length);
  const optionsEnd = args.indexOf('--');
  if ((optionsEnd < 0 ? args : args.slice(0, optionsEnd)).some((arg) => arg === '--help' || arg === '-h')) {
    io.stdout(`${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    // Commands report bad input themselves; reaching here is a bug, still reported, not thrown.
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`gatehouse ${command.name}: internal error: ${detail}\n`);
    return EXIT.failed;
  }
}

/** The command whose (possibly multi-word) name starts `argv`, longest name first. */
function findCommand(argv: readonly string[], commands: readonly Command[]): Command | undefined {
  const byLength = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  return byLength.find((command) => command.name.split(' ').every((word, i) => argv[i] === word));
}

function showHelp(topic: readonly string[], io: CliIo, commands: readonly Command[]): number {
  if (topic.length === 0) {
    io.stdout(generalHelp(commands));
    return EXIT.ok;
  }
  const command = findCommand(topic, commands);
  if (!command) return unknownCommand(topic, io, commands);
  io.stdout(`${command.usage}\n`);
  return EXIT.ok;
}

function unknownCommand(argv: readonly string[], io: CliIo, commands: readonly Command[]): number {
  const first = argv[0] ?? '';
  const group = commands.filter((command) => command.name.split(' ')[0] === first);
  if (group.length > 0) {
    // `gatehouse catalog` or `gatehouse catalog frobnicate`: list that group's subcommands.
    const sub = argv[1];
    const problem = sub === undefined || sub.startsWith('-') ? 'expected a subcommand' : `unknown subcommand \`${sub}\``;
    io.stderr(`gatehouse ${first}: ${problem}\n\n${listCommands(group)}\n`);
    return EXIT.usage;
  }
  const what = first.startsWith('-') ? `unknown option \`${first}\`` : `unknown command \`${first}\``;
  const suggestion = closestWord(first, commands.map((command) => command.name.split(' ')[0]!));
  io.stderr(`gatehouse: ${what}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}\n\n${generalHelp(commands)}`);
  return EXIT.usage;
}

function generalHelp(commands: readonly Command[]): string {
  return [
    'usage: gatehouse <command> [options]',
    '',
    'Gatehouse: author, replay, analyse and ship authorization policies for AI agents.',
    '',
    listCommands(commands),
    '',
    'Run `gatehouse <command> --help` for its options.',
    '',
  ].join('\n');
}

function listCommands(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return ['commands:', ...commands.map((command) => `  ${command.name.padEnd(width)}   ${command.summary}`)].join('\n');
}

/** The candidate within edit distance 2 of `word` (the nearest, first on ties), if any. */
function closestWord(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of new Set(candidates)) {
    const distance = editDistance(word, candidate, 2);
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

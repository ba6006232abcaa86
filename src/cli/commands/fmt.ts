// `gatehouse fmt --check|--write <paths>`: the canonical layout of policy files. A file with
// parse errors is never rewritten (nothing typed may be lost); its errors are printed instead.

import { resolve } from 'node:path';
import { formatText } from '../../language/formatter';
import { formatDiagnostic } from '../../language/text';
import { parseArgs } from '../args';
import { EXIT, type CliIo, type Command } from '../io';
import { loadGateFiles } from '../workspaceFiles';

export const fmtCommand: Command = {
  name: 'fmt',
  summary: 'format .gate files in the canonical layout (--check to verify, --write to rewrite)',
  usage: [
    'usage: gatehouse fmt (--check | --write) <path>...',
    '',
    'Formats every .gate file named or found under the named directories. Comments are kept.',
    'Files with syntax errors are left untouched and their errors printed.',
    '',
    'options:',
    '  --check      list the files whose layout differs; exit 1 if any does',
    '  --write      rewrite the files that differ in place',
    '  -h, --help   show this help',
    '',
    'Exit status: 0 when all files are formatted (or were rewritten), 1 when a file differs',
    'under --check or has syntax errors, 2 on wrong usage.',
  ].join('\n'),

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseArgs(args, { check: { type: 'boolean' }, write: { type: 'boolean' } });
    const errors = [...parsed.errors];
    const check = parsed.options.get('check') === true;
    const write = parsed.options.get('write') === true;
    if (check === write) errors.push('give exactly one of --check and --write');
    if (parsed.positionals.length === 0) errors.push('missing the files or directories to format');
    if (errors.length > 0) {
      io.stderr(`${errors.map((error) => `gatehouse fmt: ${error}`).join('\n')}\n\n${this.usage}\n`);
      return EXIT.usage;
    }
    const loaded = await loadGateFiles(parsed.positionals, io);
    for (const error of loaded.errors) io.stderr(`gatehouse fmt: ${error}\n`);
    let failed = loaded.errors.length > 0;
    let changed = 0;
    for (const path of loaded.requested) {
      const text = loaded.files.get(path)!;
      const result = formatText(text, path);
      if (result.value === undefined) {
        for (const d of result.diagnostics.filter((d) => d.severity === 'error')) io.stderr(`${formatDiagnostic(d, text, path)}\n`);
        io.stderr(`gatehouse fmt: \`${path}\` has syntax errors; left unchanged\n`);
        failed = true;
        continue;
      }
      if (result.value === text) continue;
      changed++;
      if (check) {
        io.stdout(`${path}: not formatted\n`);
        failed = true;
      } else {
        await io.writeFile(resolve(io.cwd, path), result.value);
        io.stdout(`${path}: formatted\n`);
      }
    }
    const total = loaded.requested.length;
    io.stdout(check ? `${total - changed} of ${total} files formatted\n` : `${changed} of ${total} files rewritten\n`);
    return failed ? EXIT.failed : EXIT.ok;
  },
};

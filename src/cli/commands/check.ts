// `gatehouse check <paths>`: parse and check policy files, print diagnostics compiler-style.

import { hasErrors, type Diagnostic } from '../../language/diagnostics';
import { formatDiagnostic, lineColumn } from '../../language/text';
import { Workspace } from '../../language/workspace';
import { parseArgs } from '../args';
import { EXIT, type CliIo, type Command } from '../io';
import { loadGateFiles } from '../workspaceFiles';

export const checkCommand: Command = {
  name: 'check',
  summary: 'parse and check .gate policy files; print diagnostics as file:line:col',
  usage: [
    'usage: gatehouse check <path>... [--json]',
    '',
    'Checks every .gate file named or found under the named directories, each within its scope',
    '(the file and the files it imports). Prints one line per diagnostic:',
    '  file:line:col: severity code: message',
    'followed by an indented `help:` line when there is advice, then a summary line.',
    '',
    'options:',
    '  --json       print one JSON object per diagnostic instead (file, line, column, code, ...)',
    '  -h, --help   show this help',
    '',
    'Exit status: 0 when there are no errors (warnings allowed), 1 on errors, 2 on wrong usage.',
  ].join('\n'),

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseArgs(args, { json: { type: 'boolean' } });
    const errors = [...parsed.errors];
    if (parsed.positionals.length === 0) errors.push('missing the files or directories to check');
    if (errors.length > 0) {
      io.stderr(`${errors.map((error) => `gatehouse check: ${error}`).join('\n')}\n\n${this.usage}\n`);
      return EXIT.usage;
    }
    const loaded = await loadGateFiles(parsed.positionals, io);
    for (const error of loaded.errors) io.stderr(`gatehouse check: ${error}\n`);
    const workspace = new Workspace(loaded.files);
    const diagnostics: Diagnostic[] = loaded.requested.flatMap((path) => [...workspace.check(path)!.diagnostics]);
    const json = parsed.options.get('json') === true;
    for (const d of diagnostics) {
      const text = loaded.files.get(d.file!)!;
      io.stdout(json ? `${diagnosticJson(d, text)}\n` : `${formatDiagnostic(d, text, d.file!)}\n${d.help ? `  help: ${d.help}\n` : ''}`);
    }
    const errorCount = diagnostics.filter((d) => d.severity === 'error').length;
    const warningCount = diagnostics.filter((d) => d.severity === 'warning').length;
    if (!json) io.stdout(`checked ${plural(loaded.requested.length, 'file')}: ${plural(errorCount, 'error')}, ${plural(warningCount, 'warning')}\n`);
    return hasErrors(diagnostics) || loaded.errors.length > 0 ? EXIT.failed : EXIT.ok;
  },
};

function diagnosticJson(d: Diagnostic, text: string): string {
  const { line, column } = lineColumn(text, d.span.start);
  return JSON.stringify({ file: d.file, line, column, severity: d.severity, code: d.code, message: d.message, ...(d.help ? { help: d.help } : {}) });
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

// `gatehouse test <paths>`: runs the policy tests written beside the policies.

import { runPolicyTests, type PolicyTestResult } from '../../engine/policyTests';
import { formatDiagnostic, lineColumn } from '../../language/text';
import { parseArgs } from '../args';
import { EXIT, type CliIo, type Command } from '../io';
import { loadGateFiles } from '../workspaceFiles';

export const testCommand: Command = {
  name: 'test',
  summary: 'run the policy tests (test blocks) of .gate files; --reporter junit for CI systems',
  usage: [
    'usage: gatehouse test <path>... [--reporter text|junit]',
    '',
    'Runs every `test` block in the .gate files named or found under the named directories,',
    "each against the policy of its file's scope, from empty state. Prints a line per test",
    '(`pass` or `FAIL` with each failed expectation and its location), then `N passed, N failed`.',
    '',
    'options:',
    '  --reporter junit   print a JUnit XML report instead',
    '  -h, --help         show this help',
    '',
    'Exit status: 0 when every test passes, 1 when one fails or a policy has errors, 2 on wrong usage.',
  ].join('\n'),

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseArgs(args, { reporter: { type: 'string', value: 'text|junit' } });
    const errors = [...parsed.errors];
    const reporter = parsed.options.get('reporter') ?? 'text';
    if (reporter !== 'text' && reporter !== 'junit') errors.push(`unknown reporter \`${String(reporter)}\`; use text or junit`);
    if (parsed.positionals.length === 0) errors.push('missing the files or directories to test');
    if (errors.length > 0) {
      io.stderr(`${errors.map((error) => `gatehouse test: ${error}`).join('\n')}\n\n${this.usage}\n`);
      return EXIT.usage;
    }
    const loaded = await loadGateFiles(parsed.positionals, io);
    for (const error of loaded.errors) io.stderr(`gatehouse test: ${error}\n`);
    const run = runPolicyTests(loaded.files, loaded.requested);
    for (const d of run.diagnostics) io.stderr(`${formatDiagnostic(d, loaded.files.get(d.file!) ?? '', d.file!)}\n`);
    const passed = run.results.filter((result) => result.passed).length;
    const failed = run.results.length - passed;
    if (reporter === 'junit') io.stdout(junit(run.results, loaded.files));
    else {
      for (const result of run.results) io.stdout(textLine(result, loaded.files.get(result.file) ?? ''));
      io.stdout(`${passed} passed, ${failed} failed\n`);
    }
    return failed > 0 || loaded.errors.length > 0 || run.diagnostics.length > 0 ? EXIT.failed : EXIT.ok;
  },
};

function textLine(result: PolicyTestResult, text: string): string {
  if (result.passed) return `pass  ${result.file}: ${result.name}\n`;
  const details = result.failures.map((failure) => {
    const { line, column } = lineColumn(text, failure.span.start);
    return `      ${result.file}:${line}:${column}: ${failure.message}\n`;
  });
  return `FAIL  ${result.file}: ${result.name}\n${details.join('')}`;
}

function junit(results: readonly PolicyTestResult[], files: ReadonlyMap<string, string>): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const failures = results.filter((result) => !result.passed).length;
  const cases = results.map((result) => {
    const head = `  <testcase classname="${escape(result.file)}" name="${escape(result.name)}"`;
    if (result.passed) return `${head}/>`;
    const text = files.get(result.file) ?? '';
    const body = result.failures
      .map((failure) => {
        const { line, column } = lineColumn(text, failure.span.start);
        return `${result.file}:${line}:${column}: ${failure.message}`;
      })
      .join('\n');
    return `${head}>\n    <failure message="${escape(result.failures[0]?.message ?? 'failed')}">${escape(body)}</failure>\n  </testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="gatehouse" tests="${results.length}" failures="${failures}">\n${cases.join('\n')}\n</testsuite>\n`;
}

// `lang`: how fast the language front end reads a realistic workspace. Parse + check of generated
// 10k- and 20k-line workspaces (a fresh `checkWorkspace` each run), against `JSON.parse` of a JSON
// text of the same size, plus a breakdown of the 10k time into lex, parse, bind and check.

import type { SourceFile } from '../../src/language/ast';
import { checkFile } from '../../src/language/checker';
import { hasErrors } from '../../src/language/diagnostics';
import { lex } from '../../src/language/lexer';
import { parse } from '../../src/language/parser';
import { bindSymbols, importClosure, type SymbolTable } from '../../src/language/symbols';
import { checkWorkspace } from '../../src/language/workspace';
import type { BenchGroup, FigureReporter } from '../benchGroup';
import { generateWorkspace, type GeneratedWorkspace } from '../generatePolicy';
import { jsonOfSize } from '../jsonBaseline';
import { measureInterleaved, round } from '../measure';

const RUNS = 15;
const JSON_REPEAT = 5;
const SEED = 20260701;

type Files = GeneratedWorkspace['files'];

/** Generates a workspace and makes sure it checks without errors (the figures mean nothing otherwise). */
function cleanWorkspace(lines: number): GeneratedWorkspace {
  const workspace = generateWorkspace({ lines, seed: SEED });
  const { diagnostics } = checkWorkspace(workspace.files);
  if (hasErrors(diagnostics)) {
    const first = diagnostics.find((d) => d.severity === 'error')!;
    throw new Error(`the generated ${lines}-line workspace has ${diagnostics.length} diagnostics, e.g. ${first.file} ${first.code} ${first.message}`);
  }
  return workspace;
}

/**
 * The pipeline `Workspace.check` runs, one phase at a time, so each can be timed on its own.
 * `parse` lexes again (the parser calls the lexer), so the parse figure includes lexing.
 */
function phaseTasks(files: Files): Record<'lex' | 'parse' | 'bind' | 'check', () => unknown> {
  let parsed = new Map<string, SourceFile>();
  let scopes = new Map<string, SymbolTable>();
  return {
    lex: () => files.map(([, text]) => lex(text)),
    parse: () => {
      parsed = new Map(files.map(([path, text]) => [path, parse(text, path).value]));
    },
    bind: () => {
      const byClosure = new Map<string, SymbolTable>();
      scopes = new Map();
      for (const [path] of files) {
        const closure = importClosure(path, parsed);
        const key = [...closure].sort().join('\n');
        let symbols = byClosure.get(key);
        if (!symbols) byClosure.set(key, (symbols = bindSymbols(closure, parsed)));
        scopes.set(path, symbols);
      }
    },
    check: () => files.map(([path]) => checkFile(parsed.get(path)!, scopes.get(path)!, parsed)),
  };
}

async function runLang(report: FigureReporter = () => {}): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const figure = (name: string, value: number): void => {
    figures[`lang.${name}`] = round(value, value < 100 ? 3 : 2);
    report(`lang.${name}`, figures[`lang.${name}`]!);
  };
  const small = cleanWorkspace(10_000);
  const large = cleanWorkspace(20_000);
  const json = jsonOfSize(small.records, small.characterCount);
  figure('input_lines_10k', small.lineCount);
  figure('input_chars_10k', small.characterCount);
  figure('json_chars_10k', json.length);

  // Tasks compared with each other run in the same interleaved rounds, so a busy machine slows
  // both alike; each comparison gets its own block, so one's garbage does not tax the other.
  let sink = 0;
  const parseCheck = (workspace: GeneratedWorkspace) => () => (sink += checkWorkspace(workspace.files).diagnostics.length);
  const scaling = measureInterleaved({ small: parseCheck(small), large: parseCheck(large) }, RUNS);
  figure('parse_check_ms_20k', scaling.large.median);
  figure('scaling_20k_over_10k', scaling.large.median / scaling.small.median);

  const versusJson = measureInterleaved(
    {
      parseCheck: parseCheck(small),
      // JSON.parse is ~50x faster, so each sample parses several times and reports the mean.
      jsonParse: () => {
        for (let i = 0; i < JSON_REPEAT; i++) sink += (JSON.parse(json) as { records: unknown[] }).records.length;
      },
    },
    RUNS,
  );
  const parseCheck10k = versusJson.parseCheck.median;
  const jsonParse10k = versusJson.jsonParse.median / JSON_REPEAT;
  figure('parse_check_ms_10k', parseCheck10k);
  figure('json_parse_ms_10k', jsonParse10k);
  figure('vs_json_parse', parseCheck10k / jsonParse10k);

  const phases = measureInterleaved(phaseTasks(small.files), RUNS);
  figure('phase_lex_ms_10k', phases.lex.median);
  figure('phase_parse_ms_10k', phases.parse.median);
  figure('phase_bind_ms_10k', phases.bind.median);
  figure('phase_check_ms_10k', phases.check.median);
  if (sink < 0) throw new Error('unreachable: keeps the measured work observable');
  return figures;
}

export const langGroup: BenchGroup = {
  name: 'lang',
  description: 'parse + check of generated 10k/20k-line workspaces, against JSON.parse of the same size',
  targets: { 'lang.vs_json_parse': 15, 'lang.scaling_20k_over_10k': 2.3 },
  run: runLang,
};

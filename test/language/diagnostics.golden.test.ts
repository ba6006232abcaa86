// Golden diagnostics: every `test/golden/<phase>/<name>.<ext>` input beside `<name>.expected` is a
// test (adding a file adds a test). `parse` goldens show lexer and parser diagnostics, `check`
// goldens everything a workspace reports (a folder is a several-file workspace), `import`
// goldens the catalog importer's diagnostics on a JSON file. `UPDATE_GOLDEN=1` rewrites the
// expectations; review every changed file by eye before accepting it.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCatalog } from '../../src/language/catalog';
import { DIAGNOSTICS } from '../../src/language/diagnostics';
import { parse } from '../../src/language/parser';
import { checkWorkspace } from '../../src/language/workspace';
import { renderDiagnostics, renderWorkspace } from '../support/goldenRender';

const GOLDEN_ROOT = fileURLToPath(new URL('../golden', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface GoldenCase {
  readonly phase: string;
  readonly name: string;
  /** The input file, or the folder of a several-file workspace. */
  readonly input: string;
  readonly expected: string;
  readonly render: () => string;
}

/** How each phase folder turns an input into its rendering. */
const PHASES: Readonly<Record<string, { readonly extension: string; readonly folders: boolean; readonly render: (input: string, name: string) => string }>> = {
  parse: { extension: '.gate', folders: false, render: renderParse },
  check: { extension: '.gate', folders: true, render: renderCheck },
  import: { extension: '.json', folders: false, render: renderImport },
};

function renderParse(input: string, name: string): string {
  const text = readText(input);
  return renderDiagnostics(text, parse(text, `${name}.gate`).diagnostics);
}

function renderCheck(input: string, name: string): string {
  if (statSync(input).isDirectory()) {
    const files = gateFilesUnder(input).map((path) => [relative(input, path).split('\\').join('/'), readText(path)] as const);
    const { diagnostics } = checkWorkspace(files);
    return renderWorkspace(files.map(([path, text]) => ({ path, text, diagnostics: diagnostics.filter((d) => d.file === path) })));
  }
  const text = readText(input);
  return renderDiagnostics(text, checkWorkspace([[`${name}.gate`, text]]).diagnostics);
}

function renderImport(input: string, name: string): string {
  const text = readText(input);
  return renderDiagnostics(text, importCatalog(text, { file: `${name}.json` }).diagnostics);
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

function gateFilesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(folder, entry))
    .filter((path) => path.endsWith('.gate') && statSync(path).isFile())
    .sort();
}

function discoverCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const [phase, { extension, folders, render }] of Object.entries(PHASES)) {
    const folder = join(GOLDEN_ROOT, phase);
    if (!existsSync(folder)) continue;
    for (const entry of readdirSync(folder).sort()) {
      const input = join(folder, entry);
      const isFolder = statSync(input).isDirectory();
      if (isFolder ? !folders : !entry.endsWith(extension)) continue;
      const name = isFolder ? entry : entry.slice(0, -extension.length);
      cases.push({ phase, name, input, expected: join(folder, `${name}.expected`), render: () => render(input, name) });
    }
  }
  return cases;
}

const cases = discoverCases();

describe.each(Object.keys(PHASES))('%s goldens', (phase) => {
  for (const golden of cases.filter((c) => c.phase === phase)) {
    it(`${golden.name} renders as expected`, () => {
      const actual = golden.render();
      if (UPDATE) {
        if (!existsSync(golden.expected) || readText(golden.expected) !== actual) writeFileSync(golden.expected, actual);
        return;
      }
      expect(existsSync(golden.expected), `missing ${relative(GOLDEN_ROOT, golden.expected)}; run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(actual).toBe(readText(golden.expected));
    });
  }
});

/** The codes an expected file shows, read from its `GHxxxx severity: message` lines. */
function expectedCodes(path: string): Set<string> {
  const codes = new Set<string>();
  for (const match of readText(path).matchAll(/^[ \t]*(GH\d{4}) (?:error|warning|info): /gm)) codes.add(match[1]!);
  return codes;
}

describe('the golden set', () => {
  it('has goldens in every phase folder', () => {
    const empty = Object.keys(PHASES).filter((phase) => !cases.some((c) => c.phase === phase));
    expect(empty).toEqual([]);
  });

  it('has a golden expecting every code of the diagnostics catalogue', () => {
    const covered = new Set(cases.filter((c) => existsSync(c.expected)).flatMap((c) => [...expectedCodes(c.expected)]));
    // GH3xxx are evaluation errors recorded on decisions; the engine's tests cover them.
    const missing = Object.values(DIAGNOSTICS)
      .map((def) => def.code)
      .filter((code) => !code.startsWith('GH3'))
      .filter((code) => !covered.has(code));
    expect(missing).toEqual([]);
  });

  it('has an input beside every expected file', () => {
    const known = new Set(cases.map((c) => c.expected));
    const orphans = Object.keys(PHASES).flatMap((phase) => {
      const folder = join(GOLDEN_ROOT, phase);
      if (!existsSync(folder)) return [];
      return readdirSync(folder)
        .filter((entry) => entry.endsWith('.expected'))
        .map((entry) => join(folder, entry))
        .filter((path) => !known.has(path))
        .map((path) => relative(GOLDEN_ROOT, path));
    });
    expect(orphans).toEqual([]);
  });

  it('keeps goldens named clean-* free of diagnostics', () => {
    const noisy = cases.filter((c) => c.name.startsWith('clean-') && /^[ \t]*GH\d{4} /m.test(c.render())).map((c) => `${c.phase}/${c.name}`);
    expect(cases.some((c) => c.name.startsWith('clean-'))).toBe(true);
    expect(noisy).toEqual([]);
  });
});

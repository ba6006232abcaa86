// The examples in the README and docs/ are part of the product: each must parse, and the
// README's must check clean, so the documentation cannot drift from the language.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPolicyTests } from '../../src/engine/policyTests';
import { parse } from '../../src/language/parser';
import { checkWorkspace } from '../../src/language/workspace';

const ROOT = resolve(__dirname, '../..');

function gateBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```gate\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

const documents = ['README.md', ...readdirSync(resolve(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

describe('documentation examples', () => {
  for (const document of documents) {
    const blocks = gateBlocks(readFileSync(resolve(ROOT, document), 'utf8'));
    it(`every gate example in ${document} parses without diagnostics`, () => {
      for (const block of blocks) expect(parse(block, document).diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    });
  }

  it('the README example checks clean', () => {
    const [example] = gateBlocks(readFileSync(resolve(ROOT, 'README.md'), 'utf8'));
    expect(example).toBeDefined();
    const { diagnostics } = checkWorkspace([['readme.gate', example!]]);
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });

  it("the README example's policy test passes", () => {
    const [example] = gateBlocks(readFileSync(resolve(ROOT, 'README.md'), 'utf8'));
    const run = runPolicyTests(new Map([['readme.gate', example!]]));
    expect(run.results.map((result) => [result.name, result.passed, result.failures.map((failure) => failure.message)])).toEqual([['payroll never pays', true, []]]);
  });

  it('docs/language.md lists every diagnostic code of the catalogue', async () => {
    const { DIAGNOSTICS } = await import('../../src/language/diagnostics');
    const reference = readFileSync(resolve(ROOT, 'docs/language.md'), 'utf8');
    const missing = Object.values(DIAGNOSTICS).map((d) => d.code).filter((code) => !reference.includes(code));
    expect(missing).toEqual([]);
  });
});

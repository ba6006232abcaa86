// The architecture's one hard boundary, checked through ESLint itself: core folders may not
// import UI libraries or Node built-ins, nor touch browser globals.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** Lints `code` as if it lived at `filePath`, returning the messages of one rule. */
async function messagesOf(rule: string, code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === rule);
}

const impureCore = [
  "import { useState } from 'react';",
  "import { readFileSync } from 'node:fs';",
  "import { join } from 'path';",
  "import { scaleLinear } from 'd3-scale';",
  'export const x = [useState, readFileSync, join, scaleLinear];',
  '',
].join('\n');

describe('the core purity lint rule', () => {
  it('rejects react, node: built-ins, bare built-ins and d3 modules in src/engine', async () => {
    const messages = await messagesOf('no-restricted-imports', impureCore, 'src/engine/x.ts');
    expect(messages.map((message) => message.line)).toEqual([1, 2, 3, 4]);
    expect(messages[0]?.message).toContain('runs unchanged in browser, worker and Node');
  });

  it('rejects browser globals such as window and localStorage in src/language', async () => {
    const code = 'export const a = window.location;\nexport const b = localStorage.length;\n';
    const messages = await messagesOf('no-restricted-globals', code, 'src/language/x.ts');
    expect(messages).toHaveLength(2);
  });

  it('allows the same imports in the UI and the CLI', async () => {
    for (const filePath of ['src/ui/x.tsx', 'src/cli/x.ts']) {
      expect(await messagesOf('no-restricted-imports', impureCore, filePath)).toEqual([]);
    }
  });

  it('allows relative imports that merely share a name with a built-in', async () => {
    const code = "import { path } from './path';\nexport const p = path;\n";
    expect(await messagesOf('no-restricted-imports', code, 'src/graph/x.ts')).toEqual([]);
  });
});

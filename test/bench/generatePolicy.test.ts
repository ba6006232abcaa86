// Keeps the benchmark generator honest: deterministic, and its output checks clean (the `lang`
// benchmark refuses to time a workspace with errors). No timing here.

import { describe, expect, it } from 'vitest';
import { generateWorkspace } from '../../bench/generatePolicy';
import { jsonOfSize } from '../../bench/jsonBaseline';
import { checkWorkspace } from '../../src/language/workspace';

describe('the benchmark policy generator', () => {
  const workspace = generateWorkspace({ lines: 1_000, seed: 42 });

  it('gives the same workspace for the same seed, and another for another seed', () => {
    expect(generateWorkspace({ lines: 1_000, seed: 42 })).toEqual(workspace);
    expect(generateWorkspace({ lines: 1_000, seed: 43 }).files).not.toEqual(workspace.files);
  });

  it('writes about the requested number of lines', () => {
    const counted = workspace.files.reduce((sum, [, text]) => sum + text.split('\n').length - 1, 0);
    expect(counted).toBe(workspace.lineCount);
    expect(counted).toBeGreaterThanOrEqual(1_000);
    expect(counted).toBeLessThan(1_030);
  });

  it('writes a 1,000-line workspace that checks with no diagnostics at all', () => {
    const { diagnostics } = checkWorkspace(workspace.files);
    expect(diagnostics.map((d) => `${d.file} ${d.code} ${d.message}`)).toEqual([]);
  });

  it('uses every kind of declaration, rule and test step', () => {
    const text = workspace.files.map(([, fileText]) => fileText).join('\n');
    for (const construct of ['\nimport ', '\ntimezone ', '\ncontext {', '\ntool ', '\nlabel ', '\nset ', '\nagent ', '\nhuman ', '\nrole ', '\npermit ', '\nforbid ', '\nrequire approval', '\nmonitor ', '\nlimit ', '\ngrant ', '\ntest ', '\n#', ' after label ', ' from label ', ' ~ ', ' in ', 'time.', 'context.', 'expect ']) {
      expect(text, construct).toContain(construct);
    }
  });

  it('builds a JSON baseline within 1% of the requested size', () => {
    const json = jsonOfSize(workspace.records, workspace.characterCount);
    expect(Math.abs(json.length - workspace.characterCount)).toBeLessThanOrEqual(workspace.characterCount * 0.01);
    expect(() => JSON.parse(json)).not.toThrow();
  });
});

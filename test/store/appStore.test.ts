import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../src/store/appStore';

const workspace = { 'b/second.gate': 'tool b {}', 'a/first.gate': 'tool a {}' };

describe('the workspace slice', () => {
  it('loads a workspace and opens the first file by path', () => {
    const store = createAppStore();
    store.getState().loadWorkspace(workspace);
    expect(store.getState().files).toEqual(workspace);
    expect(store.getState().activeFile).toBe('a/first.gate');
  });

  it('opens only files that exist', () => {
    const store = createAppStore();
    store.getState().loadWorkspace(workspace);
    store.getState().openFile('b/second.gate');
    store.getState().openFile('missing.gate');
    expect(store.getState().activeFile).toBe('b/second.gate');
  });

  it('keeps the files object when an update changes nothing, so subscribers stay quiet', () => {
    const store = createAppStore();
    store.getState().loadWorkspace(workspace);
    const before = store.getState().files;
    store.getState().updateFile('a/first.gate', 'tool a {}');
    expect(store.getState().files).toBe(before);
    store.getState().updateFile('a/first.gate', 'tool a2 {}');
    expect(store.getState().files['a/first.gate']).toBe('tool a2 {}');
  });
});

describe('the editor slice', () => {
  const problem = { file: 'a/first.gate', severity: 'error', code: 'GH2001', message: 'unknown tool `x`', line: 1, column: 6 } as const;

  it('stores problems per file and forgets files whose problems are gone', () => {
    const store = createAppStore();
    store.getState().setProblems('a/first.gate', [problem]);
    expect(store.getState().problems).toEqual({ 'a/first.gate': [problem] });
    store.getState().setProblems('a/first.gate', []);
    expect(store.getState().problems).toEqual({});
  });

  it('reveals a position by opening its file and recording the request', () => {
    const store = createAppStore();
    store.getState().loadWorkspace(workspace);
    store.getState().reveal({ file: 'b/second.gate', line: 3, column: 2 });
    expect(store.getState().activeFile).toBe('b/second.gate');
    expect(store.getState().revealRequest).toEqual({ file: 'b/second.gate', line: 3, column: 2 });
    store.getState().clearReveal();
    expect(store.getState().revealRequest).toBeUndefined();
  });
});

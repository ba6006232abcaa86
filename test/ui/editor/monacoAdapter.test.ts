// The adapter against a minimal stand-in for Monaco's API: offsets become positions, severities
// and kinds map, and the service hears about every edit before it is asked anything.
import { describe, expect, it, vi } from 'vitest';
import type { LanguageService } from '../../../src/language/service/types';
import { fileForUri, registerGateLanguage, uriForFile } from '../../../src/ui/editor/monacoAdapter';

type Provider = Record<string, (...args: unknown[]) => unknown>;

/** A text model that knows offsets on a single line. */
function fakeModel(path: string, text: string) {
  const listeners: (() => void)[] = [];
  let version = 1;
  return {
    uri: { scheme: 'gatehouse', path: `/${path}`, toString: () => `gatehouse:/${path}` },
    getLanguageId: () => 'gate',
    getValue: () => text,
    getVersionId: () => version,
    getPositionAt: (offset: number) => ({ lineNumber: 1, column: offset + 1 }),
    getOffsetAt: (position: { column: number }) => position.column - 1,
    onDidChangeContent: (listener: () => void) => (listeners.push(listener), { dispose() {} }),
    edit(newText: string) {
      text = newText;
      version += 1;
      listeners.forEach((listener) => listener());
    },
  };
}

function fakeMonaco(models: ReturnType<typeof fakeModel>[]) {
  const providers: Record<string, Provider> = {};
  const markers = new Map<string, unknown[]>();
  const register = (name: string) => (_language: string, provider: Provider) => ((providers[name] = provider), { dispose() {} });
  const api = {
    Uri: { from: ({ scheme, path }: { scheme: string; path: string }) => ({ scheme, path }) },
    MarkerSeverity: { Hint: 1, Info: 2, Warning: 4, Error: 8 },
    editor: {
      getModels: () => models,
      getModel: (uri: { path: string }) => models.find((model) => model.uri.path === uri.path) ?? null,
      onDidCreateModel: () => ({ dispose() {} }),
      onWillDisposeModel: () => ({ dispose() {} }),
      setModelMarkers: (model: { uri: { path: string } }, _owner: string, data: unknown[]) => markers.set(model.uri.path, data),
    },
    languages: {
      CompletionItemKind: { Keyword: 17, Function: 1, Snippet: 27 },
      CompletionItemInsertTextRule: { InsertAsSnippet: 4 },
      SymbolKind: {},
      registerCompletionItemProvider: register('completion'),
      registerHoverProvider: register('hover'),
      registerDefinitionProvider: register('definition'),
      registerDocumentSymbolProvider: register('symbols'),
      registerDocumentFormattingEditProvider: register('format'),
      registerCodeActionProvider: register('codeActions'),
    },
  };
  return { api: api as unknown as Parameters<typeof registerGateLanguage>[0], providers, markers };
}

function fakeService(overrides: Partial<LanguageService>): LanguageService {
  const none = () => [];
  return {
    setFiles: vi.fn(), updateFile: vi.fn(), removeFile: vi.fn(), diagnostics: none, completions: none,
    hover: () => undefined, definition: none, symbols: none, format: none, codeActions: none, ...overrides,
  };
}

describe('the Monaco adapter', () => {
  it('maps workspace paths to model URIs and back', () => {
    const { api } = fakeMonaco([]);
    expect(fileForUri(uriForFile(api, 'payroll/policy.gate') as never)).toBe('payroll/policy.gate');
  });

  it('turns diagnostics into markers with positions, severity, code and help', async () => {
    vi.useFakeTimers();
    const model = fakeModel('a.gate', 'tool x {}');
    const { api, markers } = fakeMonaco([model]);
    const service = fakeService({
      diagnostics: () => [{ code: 'GH2001', severity: 'warning', message: 'unknown tool `x`', help: 'declare it', span: { start: 5, end: 6 } }],
    });
    const registration = registerGateLanguage(api, service);
    await vi.runAllTimersAsync();
    expect(service.updateFile).toHaveBeenCalledWith('a.gate', 'tool x {}');
    expect(markers.get('/a.gate')).toEqual([
      expect.objectContaining({ severity: 4, code: 'GH2001', message: 'unknown tool `x`\nhelp: declare it', startColumn: 6, endColumn: 7 }),
    ]);
    registration.dispose();
    vi.useRealTimers();
  });

  it('sends the latest text before asking for completions, and marks snippets', () => {
    const model = fakeModel('a.gate', 'per');
    const { api, providers } = fakeMonaco([model]);
    const service = fakeService({
      completions: () => [{ label: 'permit', kind: 'snippet', insertText: 'permit tool ${1:name}', snippet: true, replace: { start: 0, end: 3 } }],
    });
    registerGateLanguage(api, service);
    model.edit('perm');
    const result = providers.completion?.provideCompletionItems?.(model, { lineNumber: 1, column: 5 }) as { suggestions: unknown[] };
    expect(service.updateFile).toHaveBeenLastCalledWith('a.gate', 'perm');
    expect(result.suggestions).toEqual([
      expect.objectContaining({ label: 'permit', kind: 27, insertTextRules: 4, range: { startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 4 } }),
    ]);
  });
});

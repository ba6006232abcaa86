// Maps the editor-neutral language service onto Monaco's providers. Thin on purpose: offsets
// become positions here and nowhere else; everything the language knows stays in the service.
import type * as monaco from 'monaco-editor/editor/editor.api';
import type { Span } from '../../language/ast';
import type { Diagnostic, Severity } from '../../language/diagnostics';
import type {
  CodeAction,
  CompletionItem,
  CompletionKind,
  DocumentSymbol,
  LanguageService,
  SymbolKind,
} from '../../language/service/types';
import { GATE_LANGUAGE_ID } from './gateTokens';

type MonacoApi = typeof monaco;
type Model = monaco.editor.ITextModel;

/** Marker owner for diagnostics from the language service. */
export const MARKER_OWNER = 'gatehouse';
const URI_SCHEME = 'gatehouse';
const DIAGNOSTICS_DELAY_MS = 200;

/** The model URI of a workspace file (`payroll/policy.gate` → `gatehouse:/payroll/policy.gate`). */
export function uriForFile(api: MonacoApi, file: string): monaco.Uri {
  return api.Uri.from({ scheme: URI_SCHEME, path: `/${file}` });
}

/** The workspace path of a model URI, or undefined for models outside the workspace. */
export function fileForUri(uri: monaco.Uri): string | undefined {
  return uri.scheme === URI_SCHEME ? uri.path.replace(/^\//, '') : undefined;
}

/** A span of offsets as a range of line/column positions in `model`. */
export function rangeOf(model: Pick<Model, 'getPositionAt'>, span: Span): monaco.IRange {
  const start = model.getPositionAt(span.start);
  const end = model.getPositionAt(span.end);
  return { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column };
}

function spanOf(model: Model, range: monaco.IRange): Span {
  return {
    start: model.getOffsetAt({ lineNumber: range.startLineNumber, column: range.startColumn }),
    end: model.getOffsetAt({ lineNumber: range.endLineNumber, column: range.endColumn }),
  };
}

/** Monaco marker data for one diagnostic of `model`'s file. */
export function markerOf(api: MonacoApi, model: Pick<Model, 'getPositionAt'>, diagnostic: Diagnostic): monaco.editor.IMarkerData {
  const severities: Record<Severity, monaco.MarkerSeverity> = {
    error: api.MarkerSeverity.Error,
    warning: api.MarkerSeverity.Warning,
    info: api.MarkerSeverity.Info,
  };
  const message = diagnostic.help ? `${diagnostic.message}\nhelp: ${diagnostic.help}` : diagnostic.message;
  const related = (diagnostic.related ?? []).flatMap((info) => {
    const target = info.file ? api.editor.getModel(uriForFile(api, info.file)) : (model as Model);
    return target ? [{ resource: target.uri, message: info.message, ...rangeOf(target, info.span) }] : [];
  });
  return {
    severity: severities[diagnostic.severity],
    message,
    code: diagnostic.code,
    source: MARKER_OWNER,
    relatedInformation: related,
    ...rangeOf(model, diagnostic.span),
  };
}

function completionKinds(api: MonacoApi): Record<CompletionKind, monaco.languages.CompletionItemKind> {
  const kind = api.languages.CompletionItemKind;
  return {
    keyword: kind.Keyword, tool: kind.Function, argument: kind.Variable, label: kind.EnumMember,
    role: kind.Interface, agent: kind.Class, human: kind.User, set: kind.Enum, field: kind.Field,
    value: kind.Value, snippet: kind.Snippet,
  };
}

function symbolKinds(api: MonacoApi): Record<SymbolKind, monaco.languages.SymbolKind> {
  const kind = api.languages.SymbolKind;
  return {
    tool: kind.Function, label: kind.EnumMember, set: kind.Enum, agent: kind.Class, human: kind.Object,
    role: kind.Interface, rule: kind.Event, limit: kind.Operator, grant: kind.Key, test: kind.Method,
    context: kind.Struct, import: kind.Module,
  };
}

function completionOf(api: MonacoApi, model: Model, item: CompletionItem): monaco.languages.CompletionItem {
  return {
    label: item.label,
    kind: completionKinds(api)[item.kind],
    insertText: item.insertText,
    ...(item.snippet ? { insertTextRules: api.languages.CompletionItemInsertTextRule.InsertAsSnippet } : {}),
    ...(item.detail ? { detail: item.detail } : {}),
    ...(item.documentation ? { documentation: { value: item.documentation } } : {}),
    range: rangeOf(model, item.replace),
  };
}

function symbolOf(api: MonacoApi, model: Model, symbol: DocumentSymbol): monaco.languages.DocumentSymbol {
  return {
    name: symbol.name,
    detail: symbol.detail ?? '',
    kind: symbolKinds(api)[symbol.kind],
    tags: [],
    range: rangeOf(model, symbol.span),
    selectionRange: rangeOf(model, symbol.selection),
    children: (symbol.children ?? []).map((child) => symbolOf(api, model, child)),
  };
}

function codeActionOf(api: MonacoApi, action: CodeAction, markers: monaco.editor.IMarkerData[]): monaco.languages.CodeAction {
  const edits = action.edits.flatMap(({ file, edit }) => {
    const target = api.editor.getModel(uriForFile(api, file));
    if (!target) return [];
    return [{ resource: target.uri, versionId: target.getVersionId(), textEdit: { range: rangeOf(target, edit.span), text: edit.newText } }];
  });
  return {
    title: action.title,
    kind: 'quickfix',
    isPreferred: action.preferred ?? false,
    diagnostics: markers.filter((marker) => typeof marker.code === 'string' && action.diagnostics.includes(marker.code)),
    edit: { edits },
  };
}

/** Registers the language service's features for the `gate` language; dispose undoes it all. */
export function registerGateLanguage(api: MonacoApi, service: LanguageService): { dispose(): void } {
  const syncedVersions = new Map<string, number>();
  let diagnosticsTimer: ReturnType<typeof setTimeout> | undefined;

  const gateModels = () => api.editor.getModels().filter((model) => model.getLanguageId() === GATE_LANGUAGE_ID && fileForUri(model.uri));
  /** Tells the service about every model whose text changed since last time; returns `model`'s file. */
  const sync = (model: Model): string => {
    for (const each of gateModels()) {
      const file = fileForUri(each.uri) ?? '';
      if (syncedVersions.get(file) === each.getVersionId()) continue;
      service.updateFile(file, each.getValue());
      syncedVersions.set(file, each.getVersionId());
    }
    return fileForUri(model.uri) ?? '';
  };
  const refreshDiagnostics = () => {
    diagnosticsTimer = undefined;
    for (const model of gateModels()) {
      const markers = service.diagnostics(sync(model)).map((diagnostic) => markerOf(api, model, diagnostic));
      api.editor.setModelMarkers(model, MARKER_OWNER, markers);
    }
  };
  const scheduleDiagnostics = () => {
    if (diagnosticsTimer === undefined) diagnosticsTimer = setTimeout(refreshDiagnostics, DIAGNOSTICS_DELAY_MS);
  };
  const watch = (model: Model): monaco.IDisposable | undefined => {
    if (model.getLanguageId() !== GATE_LANGUAGE_ID || !fileForUri(model.uri)) return undefined;
    scheduleDiagnostics();
    return model.onDidChangeContent(scheduleDiagnostics);
  };

  const disposables: monaco.IDisposable[] = [
    ...api.editor.getModels().flatMap((model) => watch(model) ?? []),
    api.editor.onDidCreateModel((model) => {
      const watcher = watch(model);
      if (watcher) disposables.push(watcher);
    }),
    api.editor.onWillDisposeModel((model) => {
      const file = fileForUri(model.uri);
      if (file === undefined || !syncedVersions.has(file)) return;
      syncedVersions.delete(file);
      service.removeFile(file);
      api.editor.setModelMarkers(model, MARKER_OWNER, []);
      scheduleDiagnostics();
    }),
    api.languages.registerCompletionItemProvider(GATE_LANGUAGE_ID, {
      triggerCharacters: ['.', '"'],
      provideCompletionItems: (model, position) => ({
        suggestions: service.completions(sync(model), model.getOffsetAt(position)).map((item) => completionOf(api, model, item)),
      }),
    }),
    api.languages.registerHoverProvider(GATE_LANGUAGE_ID, {
      provideHover: (model, position) => {
        const hover = service.hover(sync(model), model.getOffsetAt(position));
        return hover && { contents: [{ value: hover.contents }], range: rangeOf(model, hover.span) };
      },
    }),
    api.languages.registerDefinitionProvider(GATE_LANGUAGE_ID, {
      provideDefinition: (model, position) =>
        service.definition(sync(model), model.getOffsetAt(position)).flatMap((location) => {
          const target = api.editor.getModel(uriForFile(api, location.file));
          return target ? [{ uri: target.uri, range: rangeOf(target, location.span) }] : [];
        }),
    }),
    api.languages.registerDocumentSymbolProvider(GATE_LANGUAGE_ID, {
      provideDocumentSymbols: (model) => service.symbols(sync(model)).map((symbol) => symbolOf(api, model, symbol)),
    }),
    api.languages.registerDocumentFormattingEditProvider(GATE_LANGUAGE_ID, {
      provideDocumentFormattingEdits: (model) =>
        service.format(sync(model)).map((edit) => ({ range: rangeOf(model, edit.span), text: edit.newText })),
    }),
    api.languages.registerCodeActionProvider(
      GATE_LANGUAGE_ID,
      {
        provideCodeActions: (model, range, context) => ({
          actions: service.codeActions(sync(model), spanOf(model, range)).map((action) => codeActionOf(api, action, context.markers)),
          dispose: () => {},
        }),
      },
      { providedCodeActionKinds: ['quickfix'] },
    ),
  ];

  return {
    dispose() {
      if (diagnosticsTimer !== undefined) clearTimeout(diagnosticsTimer);
      disposables.forEach((disposable) => disposable.dispose());
      for (const model of gateModels()) api.editor.setModelMarkers(model, MARKER_OWNER, []);
    },
  };
}

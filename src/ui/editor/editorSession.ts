// The editor's lifecycle in one place: create Monaco in a container with the language service
// wired in, follow the store's active file and reveal requests, report the cursor, and undo all
// of it on dispose.
import type * as monaco from 'monaco-editor/editor/editor.api';
import type { AppState, AppStore } from '../../store/appStore';
import { GATE_THEME } from './gateTheme';
import { wireLanguageService } from './languageWiring';
import { loadMonaco } from './loadMonaco';
import { fileForUri } from './monacoAdapter';
import { bridgeMarkers, createWorkspaceModels } from './workspaceModels';

export interface EditorSession {
  readonly editor: monaco.editor.IStandaloneCodeEditor;
  dispose(): void;
}

const editorOptions: monaco.editor.IStandaloneEditorConstructionOptions = {
  theme: GATE_THEME,
  automaticLayout: true,
  minimap: { enabled: false },
  fontSize: 14,
  lineHeight: 21,
  fontFamily: "'JetBrains Mono', 'Fira Code', 'DejaVu Sans Mono', Menlo, Consolas, monospace",
  tabSize: 2,
  scrollBeyondLastLine: false,
  renderLineHighlight: 'all',
  fixedOverflowWidgets: true,
  padding: { top: 8 },
};

function positionOf(selectionOrPosition: monaco.IRange | monaco.IPosition | undefined) {
  if (!selectionOrPosition) return { line: 1, column: 1 };
  if ('lineNumber' in selectionOrPosition) return { line: selectionOrPosition.lineNumber, column: selectionOrPosition.column };
  return { line: selectionOrPosition.startLineNumber, column: selectionOrPosition.startColumn };
}

/** Creates the policy editor inside `container`, driven by `store`. */
export function createEditorSession(container: HTMLElement, store: AppStore): EditorSession {
  const api = loadMonaco();
  const language = wireLanguageService(api);
  const editor = api.editor.create(container, { ...editorOptions, model: null });
  const models = createWorkspaceModels(api, store);
  const viewStates = new Map<string, monaco.editor.ICodeEditorViewState | null>();
  let shownFile: string | undefined;

  const showActiveFile = ({ activeFile }: AppState) => {
    if (activeFile === shownFile) return;
    if (shownFile !== undefined) viewStates.set(shownFile, editor.saveViewState());
    const model = activeFile === undefined ? undefined : models.modelOf(activeFile);
    editor.setModel(model ?? null);
    shownFile = model ? activeFile : undefined;
    const viewState = shownFile === undefined ? undefined : viewStates.get(shownFile);
    if (viewState) editor.restoreViewState(viewState);
  };

  const handleReveal = ({ revealRequest, clearReveal }: AppState) => {
    if (!revealRequest || revealRequest.file !== shownFile) return;
    const position = { lineNumber: revealRequest.line, column: revealRequest.column };
    editor.setPosition(position);
    editor.revealPositionInCenterIfOutsideViewport(position);
    editor.focus();
    clearReveal();
  };

  const follow = (state: AppState) => {
    showActiveFile(state);
    handleReveal(state);
  };
  follow(store.getState());
  const unsubscribe = store.subscribe(follow);

  const disposables: monaco.IDisposable[] = [
    bridgeMarkers(api, store),
    editor.onDidChangeCursorPosition(({ position }) =>
      store.getState().setCursor({ line: position.lineNumber, column: position.column }),
    ),
    // Go to definition in another file: open that file in this editor instead of a new one.
    api.editor.registerEditorOpener({
      openCodeEditor: (_source, resource, selectionOrPosition) => {
        const file = fileForUri(resource);
        if (file === undefined) return false;
        store.getState().reveal({ file, ...positionOf(selectionOrPosition) });
        return true;
      },
    }),
  ];

  return {
    editor,
    dispose() {
      unsubscribe();
      language.dispose();
      disposables.forEach((disposable) => disposable.dispose());
      editor.dispose();
      models.dispose();
    },
  };
}

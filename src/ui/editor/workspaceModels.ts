// Keeps one Monaco model per workspace file, in step with the store in both directions:
// store changes (loading a workspace) update models; typing in a model updates the store.
import type * as monaco from 'monaco-editor/editor/editor.api';
import type { AppState, AppStore } from '../../store/appStore';
import type { ProblemSeverity } from '../../store/editorSlice';
import { fileForUri, uriForFile } from './monacoAdapter';

type MonacoApi = typeof monaco;

export interface WorkspaceModels {
  /** The model of a workspace file, if the file exists. */
  modelOf(file: string): monaco.editor.ITextModel | undefined;
  dispose(): void;
}

/** Mirrors `store`'s files as Monaco models until disposed. */
export function createWorkspaceModels(api: MonacoApi, store: AppStore): WorkspaceModels {
  /** The text each model last had in the store, to tell our own updates from outside ones. */
  const known = new Map<string, string>();
  const models = new Map<string, monaco.editor.ITextModel>();

  const create = (file: string, text: string) => {
    const model = api.editor.createModel(text, undefined, uriForFile(api, file));
    model.onDidChangeContent(() => {
      const value = model.getValue();
      known.set(file, value);
      store.getState().updateFile(file, value);
    });
    models.set(file, model);
  };

  const sync = (files: AppState['files']) => {
    for (const [file, text] of Object.entries(files)) {
      if (known.get(file) === text) continue;
      known.set(file, text);
      const model = models.get(file);
      if (!model) create(file, text);
      else if (model.getValue() !== text) model.setValue(text);
    }
    for (const [file, model] of models) {
      if (file in files) continue;
      models.delete(file);
      known.delete(file);
      model.dispose();
    }
  };

  sync(store.getState().files);
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.files !== previous.files) sync(state.files);
  });

  return {
    modelOf: (file) => models.get(file),
    dispose() {
      unsubscribe();
      models.forEach((model) => model.dispose());
      models.clear();
    },
  };
}

/** Forwards Monaco's markers on workspace models to the store's problems. */
export function bridgeMarkers(api: MonacoApi, store: AppStore): monaco.IDisposable {
  const severityOf = (severity: monaco.MarkerSeverity): ProblemSeverity =>
    severity === api.MarkerSeverity.Error ? 'error' : severity === api.MarkerSeverity.Warning ? 'warning' : 'info';
  return api.editor.onDidChangeMarkers((uris) => {
    for (const uri of uris) {
      const file = fileForUri(uri);
      if (file === undefined) continue;
      const problems = api.editor.getModelMarkers({ resource: uri }).map((marker) => ({
        file,
        severity: severityOf(marker.severity),
        code: typeof marker.code === 'string' ? marker.code : (marker.code?.value ?? ''),
        message: marker.message.split('\n')[0] ?? '',
        line: marker.startLineNumber,
        column: marker.startColumn,
      }));
      store.getState().setProblems(file, problems);
    }
  });
}

// Loads Monaco lean: the editor API plus the features in ./monacoFeatures (no other languages),
// with its web worker, the `gate` language's tokens and the app theme.
import * as monaco from 'monaco-editor/editor/editor.api';
import './monacoFeatures';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { GATE_LANGUAGE_ID, gateLanguageConfiguration, gateMonarch } from './gateTokens';
import { GATE_THEME, gateTheme } from './gateTheme';

export type MonacoApi = typeof monaco;

let loaded = false;

/** Returns the Monaco API with its worker, the `gate` language and the theme registered (once). */
export function loadMonaco(): MonacoApi {
  if (loaded) return monaco;
  loaded = true;
  self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
  monaco.languages.register({ id: GATE_LANGUAGE_ID, extensions: ['.gate'], aliases: ['Gatehouse policy', 'gate'] });
  monaco.languages.setMonarchTokensProvider(GATE_LANGUAGE_ID, gateMonarch);
  monaco.languages.setLanguageConfiguration(GATE_LANGUAGE_ID, gateLanguageConfiguration);
  monaco.editor.defineTheme(GATE_THEME, gateTheme);
  return monaco;
}

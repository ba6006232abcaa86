// Loads Monaco lean: the editor API plus only the editor features a policy author uses, so the
// bundle carries no other languages. Registers the `gate` language's tokens and the app theme.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codeAction/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/documentSymbols/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/gotoSymbol/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/quickCommand/register';
import 'monaco-editor/features/quickOutline/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
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

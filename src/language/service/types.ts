// The language service's vocabulary: plain data with offsets, independent of any editor, so the
// Monaco adapter, the CLI and a future LSP server all map from the same shapes.

import type { Span } from '../ast';
import type { Diagnostic } from '../diagnostics';

export type CompletionKind =
  | 'keyword'
  | 'tool'
  | 'argument'
  | 'label'
  | 'role'
  | 'agent'
  | 'human'
  | 'set'
  | 'field'
  | 'value'
  | 'snippet';

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  /** Text to insert; may be a snippet with `${1:placeholder}` tab stops when `snippet` is true. */
  readonly insertText: string;
  readonly snippet?: boolean;
  /** One line shown beside the label (a type, a signature). */
  readonly detail?: string;
  /** Markdown shown in the completion's side panel. */
  readonly documentation?: string;
  /** The range the completion replaces (the word being typed). */
  readonly replace: Span;
}

export interface Hover {
  /** Markdown. */
  readonly contents: string;
  readonly span: Span;
}

export interface Location {
  readonly file: string;
  readonly span: Span;
}

export type SymbolKind = 'tool' | 'label' | 'set' | 'agent' | 'human' | 'role' | 'rule' | 'limit' | 'grant' | 'test' | 'context' | 'import';

export interface DocumentSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly detail?: string;
  /** The whole declaration. */
  readonly span: Span;
  /** The name within it. */
  readonly selection: Span;
  readonly children?: readonly DocumentSymbol[];
}

export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

export interface CodeAction {
  readonly title: string;
  /** Codes of the diagnostics this action fixes. */
  readonly diagnostics: readonly string[];
  readonly edits: readonly { readonly file: string; readonly edit: TextEdit }[];
  readonly preferred?: boolean;
}

/** What an editor asks of the language. All positions are offsets into `file`'s text. */
export interface LanguageService {
  /** Replaces the workspace's files (path → text). Paths are workspace-relative, `/`-separated. */
  setFiles(files: ReadonlyMap<string, string>): void;
  /** Updates or adds one file. */
  updateFile(file: string, text: string): void;
  removeFile(file: string): void;
  diagnostics(file: string): readonly Diagnostic[];
  completions(file: string, offset: number): readonly CompletionItem[];
  hover(file: string, offset: number): Hover | undefined;
  definition(file: string, offset: number): readonly Location[];
  symbols(file: string): readonly DocumentSymbol[];
  /** Whole-document formatting; empty when the file has parse errors (nothing is lost). */
  format(file: string): readonly TextEdit[];
  codeActions(file: string, span: Span): readonly CodeAction[];
}

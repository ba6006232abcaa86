// What the editor shows besides text: problems per file, the cursor, and pending reveals.
import type { StateCreator } from 'zustand';
import type { AppState } from './appStore';

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** A diagnostic as the editor shows it, with 1-based line and column. */
export interface Problem {
  readonly file: string;
  readonly severity: ProblemSeverity;
  readonly code: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface RevealRequest extends Position {
  readonly file: string;
}

export interface EditorSlice {
  readonly problems: Readonly<Record<string, readonly Problem[]>>;
  readonly cursor: Position;
  /** A position the editor should open and scroll to; the editor clears it when done. */
  readonly revealRequest: RevealRequest | undefined;
  setProblems(file: string, problems: readonly Problem[]): void;
  setCursor(cursor: Position): void;
  /** Opens `file` and asks the editor to show `line`:`column`. */
  reveal(request: RevealRequest): void;
  clearReveal(): void;
}

export const createEditorSlice: StateCreator<AppState, [], [], EditorSlice> = (set) => ({
  problems: {},
  cursor: { line: 1, column: 1 },
  revealRequest: undefined,
  setProblems: (file, problems) =>
    set((state) => {
      if (problems.length === 0 && !(file in state.problems)) return {};
      const { [file]: _previous, ...others } = state.problems;
      return { problems: problems.length > 0 ? { ...others, [file]: problems } : others };
    }),
  setCursor: (cursor) => set({ cursor }),
  reveal: (request) =>
    set((state) => (request.file in state.files ? { activeFile: request.file, revealRequest: request } : {})),
  clearReveal: () => set({ revealRequest: undefined }),
});

// The workspace: every file's text by workspace path, and which file is open.
import type { StateCreator } from 'zustand';
import type { AppState } from './appStore';

export interface WorkspaceSlice {
  /** Workspace-relative, `/`-separated path → text. */
  readonly files: Readonly<Record<string, string>>;
  readonly activeFile: string | undefined;
  /** Replaces every file and opens `open` if it is among them, else the first one (by path). */
  loadWorkspace(files: Readonly<Record<string, string>>, open?: string): void;
  openFile(path: string): void;
  /** Sets one file's text, adding the file if it is new. */
  updateFile(path: string, text: string): void;
}

/** Workspace paths in display order. */
export function sortedPaths(files: Readonly<Record<string, string>>): string[] {
  return Object.keys(files).sort((a, b) => a.localeCompare(b));
}

export const createWorkspaceSlice: StateCreator<AppState, [], [], WorkspaceSlice> = (set) => ({
  files: {},
  activeFile: undefined,
  loadWorkspace: (files, open) =>
    set({ files: { ...files }, activeFile: open !== undefined && open in files ? open : sortedPaths(files)[0] }),
  openFile: (path) => set((state) => (path in state.files ? { activeFile: path } : {})),
  updateFile: (path, text) =>
    set((state) => (state.files[path] === text ? {} : { files: { ...state.files, [path]: text } })),
});

// The one application store, combined from typed slices. Components subscribe with narrow
// selectors (`useAppStore((s) => s.activeFile)`); middleware will wrap the combined store only.
import { create } from 'zustand';
import { createEditorSlice, type EditorSlice } from './editorSlice';
import { createWorkspaceSlice, type WorkspaceSlice } from './workspaceSlice';

export type AppState = WorkspaceSlice & EditorSlice;

/** Creates a fresh store (the app uses one; tests make their own). */
export function createAppStore() {
  return create<AppState>()((...args) => ({
    ...createWorkspaceSlice(...args),
    ...createEditorSlice(...args),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;

export const useAppStore: AppStore = createAppStore();

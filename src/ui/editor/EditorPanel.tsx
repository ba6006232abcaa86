// The middle panel: a header naming the open file and the Monaco editor below it. Monaco is
// loaded lazily so the shell paints before the editor's code has arrived.
import { useEffect, useRef } from 'react';
import { useAppStore } from '../../store/appStore';

function EditorHeader() {
  const activeFile = useAppStore((state) => state.activeFile);
  const line = useAppStore((state) => state.cursor.line);
  const column = useAppStore((state) => state.cursor.column);
  return (
    <header className="editor-header">
      <span className="editor-path">{activeFile ?? 'No file open'}</span>
      {activeFile && (
        <span className="editor-cursor">
          Ln {line}, Col {column}
        </span>
      )}
    </header>
  );
}

function MonacoHost() {
  const hostRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return undefined;
    let dispose: (() => void) | undefined;
    let cancelled = false;
    void import('./editorSession').then(({ createEditorSession }) => {
      if (!cancelled) dispose = createEditorSession(host, useAppStore).dispose;
    });
    return () => {
      cancelled = true;
      dispose?.();
    };
  }, []);
  return <div className="editor-host" ref={hostRef} data-testid="editor" />;
}

/** The policy editor with its header. */
export function EditorPanel() {
  return (
    <section className="editor-panel" aria-label="Editor">
      <EditorHeader />
      <MonacoHost />
    </section>
  );
}

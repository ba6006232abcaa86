// The studio's frame: it composes the panels and implements none of them.
import { EditorPanel } from './editor/EditorPanel';
import { ProblemsPanel } from './problems/ProblemsPanel';
import { FileList } from './workspace/FileList';

/** The whole app: title bar, file list, editor and problems. */
export function App() {
  return (
    <div className="app">
      <header className="title-bar">
        <img className="logo" src="/favicon.svg" alt="" width="20" height="20" />
        <h1>Gatehouse</h1>
        <span className="subtitle">policy studio for AI-agent permissions</span>
      </header>
      <aside className="sidebar">
        <FileList />
      </aside>
      <main className="main">
        <EditorPanel />
      </main>
      <footer className="bottom">
        <ProblemsPanel />
      </footer>
    </div>
  );
}

// The workspace's files, grouped by folder, with a problem count per file.
import { useAppStore } from '../../store/appStore';
import { sortedPaths } from '../../store/workspaceSlice';
import { useShallow } from 'zustand/react/shallow';

function splitPath(path: string): { folder: string; name: string } {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? { folder: '', name: path } : { folder: path.slice(0, slash), name: path.slice(slash + 1) };
}

function FileEntry({ path }: { path: string }) {
  const active = useAppStore((state) => state.activeFile === path);
  const errorCount = useAppStore((state) => (state.problems[path] ?? []).filter((p) => p.severity === 'error').length);
  const openFile = useAppStore((state) => state.openFile);
  return (
    <li>
      <button
        type="button"
        className={active ? 'file-entry active' : 'file-entry'}
        aria-current={active ? 'page' : undefined}
        title={path}
        onClick={() => openFile(path)}
      >
        <span className="file-name">{splitPath(path).name}</span>
        {errorCount > 0 && <span className="badge error" aria-label={`${errorCount} errors`}>{errorCount}</span>}
      </button>
    </li>
  );
}

/** Left sidebar: the workspace's files. */
export function FileList() {
  const paths = useAppStore(useShallow((state) => sortedPaths(state.files)));
  const folders = new Map<string, string[]>();
  for (const path of paths) {
    const { folder } = splitPath(path);
    folders.set(folder, [...(folders.get(folder) ?? []), path]);
  }
  return (
    <nav className="file-list" aria-label="Workspace files">
      <h2 className="panel-title">Workspace</h2>
      {paths.length === 0 && <p className="empty">No files</p>}
      {[...folders].map(([folder, files]) => (
        <section key={folder} className="folder">
          {folder && <h3 className="folder-name">{folder}/</h3>}
          <ul>
            {files.map((path) => (
              <FileEntry key={path} path={path} />
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}

// Bottom panel: every problem in the workspace; clicking one opens its file at the spot.
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store/appStore';
import type { Problem } from '../../store/editorSlice';

const severityOrder = { error: 0, warning: 1, info: 2 } as const;

function byLocation(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || severityOrder[a.severity] - severityOrder[b.severity];
}

function ProblemRow({ problem }: { problem: Problem }) {
  const reveal = useAppStore((state) => state.reveal);
  return (
    <li>
      <button type="button" className="problem-row" onClick={() => reveal(problem)}>
        <span className={`severity ${problem.severity}`}>{problem.severity}</span>
        <span className="problem-message">{problem.message}</span>
        <span className="problem-code">{problem.code}</span>
        <span className="problem-location">
          {problem.file}:{problem.line}:{problem.column}
        </span>
      </button>
    </li>
  );
}

/** Problems reported by the language service for all files. */
export function ProblemsPanel() {
  const problems = useAppStore(useShallow((state) => Object.values(state.problems).flat()));
  const sorted = [...problems].sort(byLocation);
  const errors = sorted.filter((p) => p.severity === 'error').length;
  return (
    <section className="problems-panel" aria-label="Problems">
      <h2 className="panel-title">
        Problems <span className="count">{sorted.length}</span>
        {errors > 0 && <span className="badge error">{errors} errors</span>}
      </h2>
      {sorted.length === 0 ? (
        <p className="empty">No problems in the workspace</p>
      ) : (
        <ul className="problem-list">
          {sorted.map((problem, index) => (
            <ProblemRow key={`${index}:${problem.file}:${problem.code}`} problem={problem} />
          ))}
        </ul>
      )}
    </section>
  );
}

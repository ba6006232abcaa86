// The sample workspace bundled with the app: every `samples/**/*.gate` file, keyed by its path
// below `samples/` (`/samples/payroll/policy.gate` → `payroll/policy.gate`).
const sampleSources = import.meta.glob<string>('/samples/**/*.gate', { query: '?raw', import: 'default', eager: true });

/** The sample files as a workspace (path → text). */
export function sampleWorkspace(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(sampleSources).map(([path, text]) => [path.replace(/^\/samples\//, ''), text]),
  );
}

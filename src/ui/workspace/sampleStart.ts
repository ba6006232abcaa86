// The sample the app opens first: the payroll agent, the design brief's opening example.
// Its own module so Node-side tests can import it without Vite's `import.meta.glob`.
export const SAMPLE_START_FILE = 'payroll/policy.gate';

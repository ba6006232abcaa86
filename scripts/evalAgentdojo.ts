// `npm run eval:agentdojo`: replays the 300 recorded AgentDojo runs (../shared/datasets/agentdojo)
// against samples/agentdojo/<suite>/ with approvals assumed rejected, prints the figures per suite
// and overall, the runs that miss each target, and last one line of JSON with the figures.
// Exits 1 when a target is missed. How runs are scored: scripts/agentdojoEval/lib.ts.
import { resolve } from 'node:path';
import { evaluateAgentdojo, formatReport } from './agentdojoEval/lib';

const root = resolve(import.meta.dirname, '..');
const dataset = process.argv[2] ? resolve(process.cwd(), process.argv[2]) : undefined;
const report = await evaluateAgentdojo({ root, dataset });
process.stdout.write(formatReport(report));
process.exitCode = report.met ? 0 : 1;

// Trace readers by format, and format detection. Each format has its own file; this one picks.
// Formats today: AgentDojo run files and the project's JSON Lines. The other formats of the
// design brief (OpenAI, Anthropic, MCP logs, OpenTelemetry, LangSmith) come with trace import.

import { parseJsonTree } from '../../language/catalog/jsonTree';
import { isAgentdojoRun, readAgentdojo, readAgentdojoTree, type AgentdojoOptions } from './agentdojo';
import { readJsonl } from './jsonl';
import { problemAt, type ReadResult } from './result';

export { agentdojoAgent, AGENTDOJO_BASE_TIME, isAgentdojoRun, readAgentdojo } from './agentdojo';
export { eventToRecord, readJsonl, writeJsonl } from './jsonl';
export { problemAt, type ReadResult } from './result';

export const TRACE_FORMATS = ['agentdojo', 'jsonl'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export interface TraceReadResult extends ReadResult {
  /** The format the file was read as (detected, for `auto`). */
  readonly format: TraceFormat;
}

/**
 * Reads a trace file in the given format, or detects it (`auto`): a JSON document whose top-level
 * object has `messages` and `suite_name` is an AgentDojo run; anything else is read as JSON Lines.
 * The whole text is parsed as one document only when the file is named `.json` or its first line
 * is not a JSON value by itself, so a large JSONL file is never parsed twice.
 */
export function readTrace(text: string, file: string, format: TraceFormat | 'auto' = 'auto', options: AgentdojoOptions = {}): TraceReadResult {
  if (format === 'agentdojo') return { format, ...readAgentdojo(text, file, options) };
  if (format === 'jsonl') return { format, ...readJsonl(text, file) };
  if (/\.json$/i.test(file) || !firstLineIsJson(text)) {
    const parsed = parseJsonTree(text);
    if (parsed.ok && isAgentdojoRun(parsed.value)) return { format: 'agentdojo', ...readAgentdojoTree(parsed.value, text, file, options) };
    if (parsed.ok && parsed.value.kind === 'object' && !firstLineIsJson(text)) {
      // One JSON object over several lines, and not an AgentDojo run: saying so beats a problem
      // for every line that JSON Lines reading would report.
      return {
        format: 'jsonl',
        events: [],
        problems: [problemAt(file, 1, 'a JSON document that is neither an AgentDojo run (`suite_name` and `messages`) nor JSON Lines (one event per line)')],
      };
    }
  }
  return { format: 'jsonl', ...readJsonl(text, file) };
}

/** Whether the first non-blank line is a JSON value by itself (scans only that far). */
function firstLineIsJson(text: string): boolean {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    try {
      JSON.parse(line);
      return true;
    } catch {
      return false;
    }
  }
  return true;
}

// Claude Code session transcripts (`~/.claude/projects/<cwd>/<sessionId>.jsonl`) → normalized
// events. Unofficial and undocumented; this follows what the CLI writes. One JSON object a line:
//
//   {"type":"user","uuid":"…","parentUuid":null,"sessionId":"…","timestamp":"2026-…Z",
//    "isSidechain":false,"cwd":"/repo","version":"2.1.3","message":{"role":"user","content":"…"}}
//   {"type":"assistant", …, "message":{"id":"msg_…","role":"assistant","content":[{"type":"tool_use",…}]}}
//
// - `user` and `assistant` lines hold an Anthropic message (`message`), read as the Messages
//   importer reads a turn: typed text → user message, assistant text → agent message,
//   `tool_use` → tool call (`input` → args), `tool_result` (by `tool_use_id`) → its result, or
//   its error when `is_error`. Results are kept as text, like the Messages importer's.
// - `sessionId` → session; `timestamp` → time; a sidechain (`isSidechain`, a Task subagent) is
//   attributed to its `agentId` (or `subagent`), the main chain to the default agent. A
//   sidechain's `user` text is the parent agent's prompt: an agent message, not the user's.
// - MCP tools are named `mcp__<server>__<tool>`: the full name is kept as the tool (it is what
//   permission rules name) and `<server>` → server.
// - A result saying the user rejected the call ("The user doesn't want to proceed with this tool
//   use…", "Permission to use … has been denied") → the call's outcome `denied`.
// - `isMeta` lines (notes the CLI adds for the model) and compaction summaries are not the user's
//   words and are skipped; so are `summary`, `system`, `file-history-snapshot` and other
//   bookkeeping lines. A line whose `uuid` was already read (a resumed session) is skipped.

import type { JsonNode, JsonObject } from '../../../language/catalog/jsonTree';
import type { RecordedOutcome } from '../../event';
import type { TraceBuilder } from '../builder';
import { booleanAt, describeJsonKind, member, stringAt } from '../json';
import { isoToMs } from '../time';
import type { RecordOrigin, RecordReader, TraceImporter } from '../types';
import { AnthropicTurns } from './anthropicMessages';

const BOOKKEEPING: ReadonlySet<string> = new Set(['summary', 'system', 'file-history-snapshot', 'queue-operation', 'progress', 'attachment', 'custom-title', 'tag']);
const MCP_NAME = /^mcp__(.+?)__(.+)$/;
const DENIALS = [/^The user doesn't want to proceed with this tool use/, /^The user doesn't want to take this action right now/, /^Permission to use .+ has been denied/];

/** The MCP server of a Claude Code tool name `mcp__<server>__<tool>`, if it is one. */
export function claudeCodeServer(tool: string): string | undefined {
  return MCP_NAME.exec(tool)?.[1];
}

/** `denied` when a tool result records that the user (or a permission rule) rejected the call. */
export function claudeCodeOutcome(text: string, isError: boolean): RecordedOutcome | undefined {
  return isError && DENIALS.some((denial) => denial.test(text)) ? 'denied' : undefined;
}

export const claudeCodeImporter: TraceImporter = {
  format: 'claude-code',
  label: 'Claude Code transcript',
  detect(sample) {
    const type = stringAt(sample, 'type');
    if (type === undefined) return undefined;
    if ((type === 'user' || type === 'assistant') && member(sample, 'message')?.kind === 'object' && (stringAt(sample, 'sessionId') !== undefined || stringAt(sample, 'uuid') !== undefined)) {
      return { confidence: 0.95, reason: `a line with \`type\` \`${type}\`, \`message\` and \`sessionId\`/\`uuid\`` };
    }
    if (type === 'summary' && stringAt(sample, 'leafUuid') !== undefined) return { confidence: 0.9, reason: 'a `summary` line with `leafUuid`' };
    if (type === 'file-history-snapshot' && member(sample, 'snapshot') !== undefined) return { confidence: 0.9, reason: 'a `file-history-snapshot` line' };
    if (BOOKKEEPING.has(type) && stringAt(sample, 'sessionId') !== undefined && stringAt(sample, 'uuid') !== undefined) return { confidence: 0.85, reason: `a \`${type}\` line with \`sessionId\` and \`uuid\`` };
    return undefined;
  },
  start(out): RecordReader {
    const reader = new TranscriptReader(out);
    return { read: (value, origin) => reader.read(value, origin), finish: () => undefined };
  },
};

class TranscriptReader {
  private readonly turns: AnthropicTurns;
  private readonly seen = new Set<string>();
  private readonly ignored = new Set<string>();

  constructor(private readonly out: TraceBuilder) {
    this.turns = new AnthropicTurns(out, { serverOf: claudeCodeServer, outcomeOf: claudeCodeOutcome });
  }

  read(root: JsonNode, origin: RecordOrigin): void {
    if (root.kind !== 'object') {
      this.out.skip('wrongType', `a transcript line should be an object, found ${describeJsonKind(root)}`, origin.locate(root, '$'));
      return;
    }
    const type = member(root, 'type');
    if (type?.kind !== 'string') {
      this.out.skip(type ? 'wrongType' : 'missingField', `a transcript line needs \`type\` (a string)${type ? `, found ${describeJsonKind(type)}` : ''}`, origin.locate(type ?? root, '$.type'));
      return;
    }
    if (type.value === 'user' || type.value === 'assistant') this.entry(root, type.value, origin);
    else if (!BOOKKEEPING.has(type.value) && !this.ignored.has(type.value)) {
      this.ignored.add(type.value);
      this.out.diagnostic('unknownRecord', `lines of type \`${type.value}\` are not read; they are skipped`, origin.locate(type, '$.type'));
    }
  }

  private entry(root: JsonObject, type: 'user' | 'assistant', origin: RecordOrigin): void {
    const uuid = stringAt(root, 'uuid');
    if (uuid !== undefined) {
      if (this.seen.has(uuid)) {
        this.out.diagnostic('duplicateId', `the line \`${uuid}\` was already read (a resumed session repeats it); skipped`, origin.locate(root, '$.uuid'), 'info');
        return;
      }
      this.seen.add(uuid);
    }
    if (booleanAt(root, 'isMeta') === true || booleanAt(root, 'isCompactSummary') === true) return;
    const message = member(root, 'message');
    if (message === undefined || message.kind === 'null') {
      this.out.skip('missingField', `a \`${type}\` line needs \`message\``, origin.locate(root, '$.message'));
      return;
    }
    const agent = this.agent(root);
    const ctx = { locate: origin.locate, session: this.session(root, origin), time: this.time(root, origin), agent, userIsAgent: agent !== undefined };
    this.turns.message(message, '$.message', ctx, type);
  }

  private session(root: JsonObject, origin: RecordOrigin): string | undefined {
    const session = member(root, 'sessionId');
    if (session === undefined || session.kind === 'null') return undefined;
    if (session.kind === 'string') return session.value;
    this.out.diagnostic('wrongType', `\`sessionId\` should be a string, found ${describeJsonKind(session)}; the file is the session`, origin.locate(session, '$.sessionId'));
    return undefined;
  }

  private time(root: JsonObject, origin: RecordOrigin): number | undefined {
    const stamp = member(root, 'timestamp');
    if (stamp === undefined || stamp.kind === 'null') return undefined;
    const time = stamp.kind === 'string' ? isoToMs(stamp.value) : undefined;
    if (time === undefined) this.out.diagnostic('invalidTime', `\`timestamp\` should be an ISO 8601 time with a zone, found ${stamp.kind === 'string' ? `\`${stamp.value}\`` : describeJsonKind(stamp)}`, origin.locate(stamp, '$.timestamp'));
    return time;
  }

  private agent(root: JsonObject): string | undefined {
    if (booleanAt(root, 'isSidechain') !== true) return undefined;
    return stringAt(root, 'agentId') ?? 'subagent';
  }
}

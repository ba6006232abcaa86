// AgentDojo run files (one JSON object per run, as the benchmark's `runs/` folder stores them)
// → normalized events. A run holds `suite_name`, the planted `injections` and `messages` in
// order: `system` (neither decided nor context: skipped), `user` (the task: a user message),
// `assistant` (its text, then one tool call per `tool_calls` entry) and `tool` (the result, or
// the error, of the call with that `tool_call_id`).
//
// Every event carries its source: the file, the line, and the JSON path of the message or call.
// A second result for one call id is an orphan (skipped); a run with no result for a call flags it.

import type { JsonNode, JsonObject } from '../../../language/catalog/jsonTree';
import type { TraceBuilder } from '../builder';
import { describeJsonKind, member, roleProblem } from '../json';
import { SYNTHETIC_BASE_TIME, SYNTHETIC_INTERVAL_MS } from '../time';
import type { RecordOrigin, RecordReader, TraceImporter } from '../types';

export interface AgentdojoOptions {
  /** Agent id of the run's tool calls; `<suite_name>-assistant` by default. */
  readonly agent?: string;
}

/**
 * AgentDojo runs have no timestamps. Events get the synthetic clock every timeless trace gets
 * (2024-06-01T00:00:00Z, one second apart), so sequence and time agree, rate windows see a
 * plausible pace and replays are deterministic. Time-of-day conditions are meaningless on them.
 */
export const AGENTDOJO_BASE_TIME = SYNTHETIC_BASE_TIME;
export const AGENTDOJO_EVENT_INTERVAL_MS = SYNTHETIC_INTERVAL_MS;

/**
 * The agent id a suite's runs are attributed to: `<suite>-assistant` (`banking-assistant`,
 * `slack-assistant`), the names the sample policies in samples/agentdojo/ declare.
 */
export function agentdojoAgent(suite: string): string {
  return `${suite}-assistant`;
}

/** Whether a parsed JSON document looks like an AgentDojo run: an object with both fields. */
export function isAgentdojoRun(root: JsonNode): root is JsonObject {
  return root.kind === 'object' && root.members.has('messages') && root.members.has('suite_name');
}

export const agentdojoImporter: TraceImporter = {
  format: 'agentdojo',
  label: 'AgentDojo run',
  detect(sample) {
    if (!isAgentdojoRun(sample)) return undefined;
    return { confidence: 1, reason: 'an object with `suite_name` and `messages`' };
  },
  start(out) {
    const reader = new RunReader(out);
    return { read: (value, origin) => reader.read(value, origin), finish: () => undefined } satisfies RecordReader;
  },
};

class RunReader {
  private origin!: RecordOrigin;
  private session: string | undefined;
  private agent = '';

  constructor(private readonly out: TraceBuilder) {}

  read(root: JsonNode, origin: RecordOrigin): void {
    this.origin = origin;
    if (root.kind !== 'object') {
      this.out.skip('wrongType', `expected an AgentDojo run (an object with \`suite_name\` and \`messages\`), found ${describeJsonKind(root)}`, origin.locate(root, '$'));
      return;
    }
    const suite = member(root, 'suite_name');
    let suiteName = 'agentdojo';
    if (suite?.kind === 'string' && suite.value !== '') suiteName = suite.value;
    else this.out.diagnostic(suite ? 'wrongType' : 'missingField', suite ? `\`suite_name\` should be a non-empty string, found ${describeJsonKind(suite)}` : 'missing `suite_name`', origin.locate(suite ?? root, '$.suite_name'));
    // One run per file: the file is the session (a JSON Lines file of runs gets one per line).
    this.session = origin.shape === 'lines' ? `${this.out.file}:${origin.locate(root, '$').line}` : undefined;
    this.agent = agentdojoAgent(suiteName);

    const messages = member(root, 'messages');
    if (messages?.kind !== 'array') {
      this.out.skip(messages ? 'wrongType' : 'missingField', messages ? `\`messages\` should be an array, found ${describeJsonKind(messages)}` : 'missing `messages`', origin.locate(messages ?? root, '$.messages'));
      return;
    }
    messages.items.forEach((message, index) => this.message(message, `$.messages[${index}]`));
  }

  private at(node: JsonNode, path: string) {
    return this.origin.locate(node, path);
  }

  private message(node: JsonNode, path: string): void {
    if (node.kind !== 'object') {
      this.out.skip('wrongType', `a message should be an object, found ${describeJsonKind(node)}`, this.at(node, path));
      return;
    }
    const role = member(node, 'role');
    const roleName = role?.kind === 'string' ? role.value : undefined;
    switch (roleName) {
      case 'system':
        return; // the benchmark's instructions to the model: neither a request nor an action
      case 'user':
        this.out.userMessage({ session: this.session, text: this.content(node, path) ?? '', source: this.at(node, path) });
        return;
      case 'assistant':
        this.assistant(node, path);
        return;
      case 'tool':
        this.toolResult(node, path);
        return;
      default: {
        const problem = roleProblem(role);
        this.out.skip(problem.kind, problem.message, this.at(role ?? node, path));
      }
    }
  }

  private assistant(node: JsonObject, path: string): void {
    const text = this.content(node, path);
    if (text !== undefined && text.trim() !== '') this.out.agentMessage({ session: this.session, text, source: this.at(node, path) });
    const calls = member(node, 'tool_calls');
    if (calls === undefined || calls.kind === 'null') return;
    if (calls.kind !== 'array') {
      this.out.skip('wrongType', `\`tool_calls\` should be an array, found ${describeJsonKind(calls)}`, this.at(calls, `${path}.tool_calls`));
      return;
    }
    calls.items.forEach((call, index) => this.toolCall(call, `${path}.tool_calls[${index}]`));
  }

  private toolCall(node: JsonNode, path: string): void {
    if (node.kind !== 'object') {
      this.out.skip('wrongType', `a tool call should be an object, found ${describeJsonKind(node)}; skipped`, this.at(node, path));
      return;
    }
    const fn = member(node, 'function');
    if (fn?.kind !== 'string' || fn.value === '') {
      this.out.skip(fn ? 'wrongType' : 'missingField', `${fn ? `\`function\` should be a tool name, found ${describeJsonKind(fn)}` : 'missing `function`'}; the call is skipped`, this.at(fn ?? node, path));
      return;
    }
    const argsNode = member(node, 'args');
    let args: Record<string, unknown> = {};
    if (argsNode?.kind === 'object') args = this.out.plain(argsNode, this.at(argsNode, `${path}.args`)) as Record<string, unknown>;
    else if (argsNode !== undefined && argsNode.kind !== 'null') {
      this.out.skip('wrongType', `\`args\` should be an object, found ${describeJsonKind(argsNode)}; the call is skipped`, this.at(argsNode, `${path}.args`));
      return;
    }
    const id = member(node, 'id');
    const callId = id?.kind === 'string' ? id.value : undefined;
    if (id !== undefined && id.kind !== 'string' && id.kind !== 'null') this.out.diagnostic('wrongType', `\`id\` should be a string, found ${describeJsonKind(id)}`, this.at(id, `${path}.id`));
    this.out.toolCall({ session: this.session, agent: this.agent, tool: fn.value, args, callId, source: this.at(node, path) });
  }

  private toolResult(node: JsonObject, path: string): void {
    const idNode = member(node, 'tool_call_id');
    const fallback = member(member(node, 'tool_call'), 'id');
    const callId = idNode?.kind === 'string' ? idNode.value : fallback?.kind === 'string' ? fallback.value : undefined;
    if (callId === undefined) {
      this.out.skip('missingField', 'a tool result needs `tool_call_id` (a string) to pair it with its call; skipped', this.at(idNode ?? node, path));
      return;
    }
    const content = this.content(node, path);
    const errorNode = member(node, 'error');
    let error: string | undefined;
    if (errorNode?.kind === 'string') error = errorNode.value;
    else if (errorNode !== undefined && errorNode.kind !== 'null') error = JSON.stringify(this.out.plain(errorNode, this.at(errorNode, `${path}.error`)));
    this.out.result({ session: this.session, callId, result: content, error, source: this.at(node, path) });
  }

  /** A message's `content` as text: a string, or the text parts of a list of content blocks. */
  private content(node: JsonObject, path: string): string | undefined {
    const content = member(node, 'content');
    if (content === undefined || content.kind === 'null') return undefined;
    if (content.kind === 'string') return content.value;
    if (content.kind === 'array') {
      const parts: string[] = [];
      for (const block of content.items) {
        const text = block.kind === 'string' ? block : (member(block, 'content') ?? member(block, 'text'));
        if (text?.kind === 'string') parts.push(text.value);
      }
      return parts.join('\n');
    }
    this.out.diagnostic('wrongType', `\`content\` should be text, found ${describeJsonKind(content)}; ignored`, this.at(content, `${path}.content`));
    return undefined;
  }
}

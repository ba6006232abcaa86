// AgentDojo run files (one JSON object per run, as the benchmark's `runs/` folder stores them)
// → normalized events. A run holds `suite_name`, the planted `injections` and `messages` in
// order: `system` (neither decided nor context: skipped), `user` (the task: a user message),
// `assistant` (its text, then one tool call per `tool_calls` entry) and `tool` (the result, or
// the error, of the call with that `tool_call_id`).
//
// Every event carries its source: the file, the line, and the JSON path of the message or call.

import type { Span } from '../../language/ast';
import { describeJsonKind, member, parseJsonTree, type JsonNode, type JsonObject } from '../../language/catalog/jsonTree';
import { createLineIndex } from '../../language/text';
import type { AgentMessageEvent, SourceLocation, ToolCallEvent, TraceEvent, UserMessageEvent } from '../event';
import { problemAt, type ReadResult } from './result';

export interface AgentdojoOptions {
  /** Session id of the run's events; the file path by default. */
  readonly session?: string;
  /** Agent id of the run's tool calls; `<suite_name>-assistant` by default. */
  readonly agent?: string;
}

/**
 * AgentDojo runs have no timestamps. Events get a fixed, made-up clock instead: this base
 * (2024-06-01T00:00:00Z) plus one second per event, so sequence and time agree, rate windows see
 * a plausible pace and replays are deterministic. Time-of-day conditions are meaningless on them.
 */
export const AGENTDOJO_BASE_TIME = Date.UTC(2024, 5, 1, 0, 0, 0);
export const AGENTDOJO_EVENT_INTERVAL_MS = 1000;

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

/** Reads one AgentDojo run file. Never throws; bad parts become problems. */
export function readAgentdojo(text: string, file: string, options: AgentdojoOptions = {}): ReadResult {
  const parsed = parseJsonTree(text);
  if (!parsed.ok) {
    const { line, column } = createLineIndex(text)(parsed.span.start);
    return { events: [], problems: [problemAt(file, line, `not valid JSON (column ${column}): ${parsed.message}`)] };
  }
  return readAgentdojoTree(parsed.value, text, file, options);
}

/** Reads an AgentDojo run that is already parsed (`text` is the file it was parsed from). */
export function readAgentdojoTree(root: JsonNode, text: string, file: string, options: AgentdojoOptions = {}): ReadResult {
  return new RunReader(text, file, options).read(root);
}

class RunReader {
  private readonly events: TraceEvent[] = [];
  private readonly problems: string[] = [];
  /** Index in `events` of each call, by its id, for pairing results. */
  private readonly calls = new Map<string, number>();
  private readonly answered = new Set<string>();
  private readonly lineOf: (offset: number) => { line: number };
  private session = '';
  private agent = '';

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly options: AgentdojoOptions,
  ) {
    this.lineOf = createLineIndex(text);
  }

  read(root: JsonNode): ReadResult {
    const result = { events: this.events, problems: this.problems };
    if (root.kind !== 'object') {
      this.problem(root.span, `expected an AgentDojo run (an object with \`suite_name\` and \`messages\`), found ${describeJsonKind(root)}`);
      return result;
    }
    const suite = member(root, 'suite_name');
    let suiteName = 'agentdojo';
    if (suite?.kind === 'string' && suite.value !== '') suiteName = suite.value;
    else this.problem(suite?.span ?? root.span, suite ? `\`suite_name\` should be a non-empty string, found ${describeJsonKind(suite)}` : 'missing `suite_name`');
    this.session = this.options.session ?? this.file;
    this.agent = this.options.agent ?? agentdojoAgent(suiteName);

    const messages = member(root, 'messages');
    if (messages?.kind !== 'array') {
      this.problem(messages?.span ?? root.span, messages ? `\`messages\` should be an array, found ${describeJsonKind(messages)}` : 'missing `messages`');
      return result;
    }
    messages.items.forEach((message, index) => this.message(message, `$.messages[${index}]`));
    return result;
  }

  private message(node: JsonNode, path: string): void {
    if (node.kind !== 'object') {
      this.problem(node.span, `${path}: a message should be an object, found ${describeJsonKind(node)}`);
      return;
    }
    const role = member(node, 'role');
    const roleName = role?.kind === 'string' ? role.value : undefined;
    switch (roleName) {
      case 'system':
        return; // the benchmark's instructions to the model: neither a request nor an action
      case 'user': {
        const event: UserMessageEvent = { kind: 'user_message', ...this.base(node, path), text: this.content(node, path) ?? '' };
        this.events.push(event);
        return;
      }
      case 'assistant':
        this.assistant(node, path);
        return;
      case 'tool':
        this.toolResult(node, path);
        return;
      default:
        this.problem(
          role?.span ?? node.span,
          `${path}: ${role ? (roleName === undefined ? `\`role\` should be a string, found ${describeJsonKind(role)}` : `unknown role \`${roleName}\``) : 'missing `role`'}; the message is skipped`,
        );
    }
  }

  private assistant(node: JsonObject, path: string): void {
    const text = this.content(node, path);
    if (text !== undefined && text.trim() !== '') {
      const event: AgentMessageEvent = { kind: 'agent_message', ...this.base(node, path), text };
      this.events.push(event);
    }
    const calls = member(node, 'tool_calls');
    if (calls === undefined || calls.kind === 'null') return;
    if (calls.kind !== 'array') {
      this.problem(calls.span, `${path}.tool_calls: should be an array, found ${describeJsonKind(calls)}`);
      return;
    }
    calls.items.forEach((call, index) => this.toolCall(call, `${path}.tool_calls[${index}]`));
  }

  private toolCall(node: JsonNode, path: string): void {
    if (node.kind !== 'object') {
      this.problem(node.span, `${path}: a tool call should be an object, found ${describeJsonKind(node)}; skipped`);
      return;
    }
    const fn = member(node, 'function');
    if (fn?.kind !== 'string' || fn.value === '') {
      this.problem(fn?.span ?? node.span, `${path}: ${fn ? `\`function\` should be a tool name, found ${describeJsonKind(fn)}` : 'missing `function`'}; the call is skipped`);
      return;
    }
    const argsNode = member(node, 'args');
    let args: Record<string, unknown> = {};
    if (argsNode?.kind === 'object') args = this.plain(argsNode) as Record<string, unknown>;
    else if (argsNode !== undefined && argsNode.kind !== 'null') {
      this.problem(argsNode.span, `${path}.args: should be an object, found ${describeJsonKind(argsNode)}; the call is skipped`);
      return;
    }
    const id = member(node, 'id');
    const callId = id?.kind === 'string' ? id.value : undefined;
    if (id !== undefined && id.kind !== 'string' && id.kind !== 'null') this.problem(id.span, `${path}.id: should be a string, found ${describeJsonKind(id)}`);
    const event: ToolCallEvent = {
      kind: 'tool_call',
      ...this.base(node, path),
      agent: this.agent,
      tool: fn.value,
      args,
      ...(callId !== undefined ? { callId } : {}),
    };
    if (callId !== undefined) {
      if (this.calls.has(callId)) this.problem(id!.span, `${path}.id: call id \`${callId}\` is used twice; results pair with the later call`);
      this.calls.set(callId, this.events.length);
    }
    this.events.push(event);
  }

  private toolResult(node: JsonObject, path: string): void {
    const idNode = member(node, 'tool_call_id');
    const fallback = member(member(node, 'tool_call'), 'id');
    const callId = idNode?.kind === 'string' ? idNode.value : fallback?.kind === 'string' ? fallback.value : undefined;
    if (callId === undefined) {
      this.problem(idNode?.span ?? node.span, `${path}: a tool result needs \`tool_call_id\` (a string) to pair it with its call; skipped`);
      return;
    }
    const index = this.calls.get(callId);
    if (index === undefined) {
      this.problem(idNode?.span ?? node.span, `${path}: result for call id \`${callId}\`, which no earlier tool call has; skipped`);
      return;
    }
    if (this.answered.has(callId)) {
      this.problem(node.span, `${path}: a second result for call id \`${callId}\`; the first one is kept`);
      return;
    }
    this.answered.add(callId);
    const call = this.events[index] as ToolCallEvent;
    const content = this.content(node, path);
    const errorNode = member(node, 'error');
    let error: string | undefined;
    if (errorNode?.kind === 'string') error = errorNode.value;
    else if (errorNode !== undefined && errorNode.kind !== 'null') error = this.text.slice(errorNode.span.start, errorNode.span.end);
    this.events[index] = { ...call, ...(content !== undefined ? { result: content } : {}), ...(error !== undefined ? { error } : {}) };
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
    this.problem(content.span, `${path}.content: should be text, found ${describeJsonKind(content)}; ignored`);
    return undefined;
  }

  private base(node: JsonNode, path: string): { session: string; seq: number; time: number; source: SourceLocation } {
    const seq = this.events.length + 1;
    return {
      session: this.session,
      seq,
      time: AGENTDOJO_BASE_TIME + (seq - 1) * AGENTDOJO_EVENT_INTERVAL_MS,
      source: { file: this.file, line: this.lineOf(node.span.start).line, path },
    };
  }

  /** The plain JS value of a node. JSON.parse defines `__proto__` members as own data. */
  private plain(node: JsonNode): unknown {
    return JSON.parse(this.text.slice(node.span.start, node.span.end));
  }

  private problem(span: Span, message: string): void {
    this.problems.push(problemAt(this.file, this.lineOf(span.start).line, message));
  }
}

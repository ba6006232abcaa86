// OpenAI Chat Completions → normalized events. A file is one of these (or JSON Lines of them):
//
// - a request body `{model, messages[], tools?[]}`;
// - a bare array of messages;
// - a response `{object: "chat.completion", created, choices[{message}]}`.
//
// Messages, by `role`:
// - `system` / `developer`: instructions to the model; skipped.
// - `user`: a user message (its `content`: a string, or the text of its text parts).
// - `assistant`: its text (`content`, else `refusal`) as an agent message, then one tool call per
//   `tool_calls` entry: `function` calls name `function.name` and parse `function.arguments` (a
//   JSON string the model wrote; invalid JSON is kept raw with GH4112, an already-parsed object is
//   taken as is), `custom` calls name `custom.name` and keep `custom.input` raw (`argsRaw`, free
//   text). `id` is the call id. The message's `name`, when present, is the agent.
//   A legacy `function_call {name, arguments}` is one more call, without an id.
// - `tool`: the result of the call with its `tool_call_id`, kept as the text recorded (a JSON
//   result stays a string; the engine searches results as text either way). Chat never marks a
//   tool error: the text is the result.
// - `function` (legacy): the result of the earliest unanswered `function_call` of that `name`.
//
// Calls in a message list await their result (one that never comes is flagged `unpaired`); calls
// in a `chat.completion` response do not: a response ends where the calls begin, so the result
// cannot be in it. A response's `created` (Unix seconds) is the time of its events; requests
// and message lists record no time (the builder's synthetic clock). Every choice of a response is
// read. A request's `tools` (and legacy `functions`) are the tool definitions.
//
// Session: a document is one conversation, the file. In JSON Lines every line is its own session
// (the first line's is the file, so a one-line file reads like a document; each later line's is
// `<file>:<line>`): such files are datasets of separate conversations, or logs of successive
// requests that each repeat the whole history, which one session would count many times over.

import type { JsonNode, JsonObject } from '../../../language/catalog/jsonTree';
import type { SourceLocation } from '../../event';
import type { TraceBuilder } from '../builder';
import { arrayAt, describeJsonKind, describeShape, member, pathIndex, pathKey, roleProblem, stringAt } from '../json';
import { secondsToMs } from '../time';
import type { Detection, RecordOrigin, RecordReader, TraceImporter } from '../types';

/** Content-block types only the Anthropic Messages API uses in `messages`. */
const ANTHROPIC_BLOCKS = new Set(['tool_use', 'tool_result', 'thinking', 'redacted_thinking', 'server_tool_use', 'mcp_tool_use', 'mcp_tool_result', 'document', 'search_result']);
/** Roles only OpenAI chat messages have (Anthropic has `user` and `assistant` only). */
const OPENAI_ROLES = new Set(['system', 'developer', 'tool', 'function']);
/** Top-level fields of other formats that also hold `messages`. */
const FOREIGN_FIELDS = ['suite_name', 'run_type', 'dotted_order', 'stop_reason'];

export const openaiChatImporter: TraceImporter = {
  format: 'openai-chat',
  label: 'OpenAI Chat Completions',
  detect: detectChat,
  start(out) {
    const reader = new ChatReader(out);
    return { read: (value, origin) => reader.read(value, origin), finish: () => undefined } satisfies RecordReader;
  },
};

function detectChat(sample: JsonNode): Detection | undefined {
  if (sample.kind === 'array') {
    const markers = messageMarkers(sample.items);
    if (markers === 'openai') return { confidence: 0.85, reason: 'an array of messages with `role` and `tool_calls` or a `tool`/`system` role' };
    if (markers === 'plain') return { confidence: 0.5, reason: 'an array of messages with `role` and `content`' };
    return undefined;
  }
  if (sample.kind !== 'object') return undefined;
  if (stringAt(sample, 'object') === 'chat.completion') return { confidence: 1, reason: 'an object with `object` `chat.completion`' };
  const messages = arrayAt(sample, 'messages');
  if (messages === undefined || FOREIGN_FIELDS.some((key) => sample.members.has(key))) return undefined;
  // Anthropic request bodies also have `model` and `messages`: a top-level `system`, tools with
  // an `input_schema` or content blocks of its own mark them.
  if (sample.members.has('system') || arrayAt(sample, 'tools')?.some((tool) => member(tool, 'input_schema') !== undefined)) return undefined;
  const markers = messageMarkers(messages);
  const functionTools = arrayAt(sample, 'tools')?.some((tool) => member(tool, 'function')?.kind === 'object' || stringAt(tool, 'type') === 'custom');
  if (markers === 'anthropic' || markers === 'other') return undefined;
  if (markers === 'openai' || functionTools) return { confidence: 0.9, reason: '`messages` with OpenAI roles or `tool_calls`, or `tools` of type `function`' };
  // Text-only turns fit both APIs; `max_tokens` (required by Anthropic, deprecated by OpenAI) leans Anthropic.
  if (sample.members.has('max_tokens') && !sample.members.has('max_completion_tokens')) return { confidence: 0.45, reason: 'an object with `messages` of `role` and `content`, and `max_tokens`' };
  return { confidence: 0.5, reason: 'an object with `messages` of `role` and `content`' };
}

/** What a list of messages looks like: OpenAI chat for sure, plain role/content, Anthropic, or something else. */
function messageMarkers(messages: readonly JsonNode[]): 'openai' | 'plain' | 'anthropic' | 'other' {
  let openai = false;
  for (const message of messages.slice(0, 50)) {
    if (message.kind !== 'object' || stringAt(message, 'role') === undefined) return 'other';
    // Responses API items carry a `type`; chat messages never do.
    if (message.members.has('type')) return 'other';
    const content = member(message, 'content');
    if (content?.kind === 'array' && content.items.some((block) => ANTHROPIC_BLOCKS.has(stringAt(block, 'type') ?? ''))) return 'anthropic';
    if (OPENAI_ROLES.has(stringAt(message, 'role')!) || ['tool_calls', 'tool_call_id', 'function_call'].some((key) => message.members.has(key))) openai = true;
  }
  if (messages.length === 0) return 'other';
  return openai ? 'openai' : 'plain';
}

/** The text of a message `content`: a string, or its text (and refusal) parts joined by newlines. */
export function contentText(content: JsonNode | undefined): string | undefined {
  if (content === undefined || content.kind === 'null') return undefined;
  if (content.kind === 'string') return content.value;
  if (content.kind !== 'array') return undefined;
  const parts: string[] = [];
  for (const part of content.items) {
    if (part.kind === 'string') parts.push(part.value);
    const text = member(part, 'text') ?? member(part, 'refusal');
    if (text?.kind === 'string') parts.push(text.value);
  }
  return parts.join('\n');
}

class ChatReader {
  private origin!: RecordOrigin;
  private session: string | undefined;
  private time: number | undefined;
  private awaitsResult = true;
  /**
   * Legacy calls awaiting their `function` result, by tool name, oldest first. They pair through
   * the builder under a key of their own (the format gives them no id), so an unanswered one is
   * flagged like any other; the key is not kept on the event.
   */
  private legacy = new Map<string, string[]>();
  private legacyKeys = 0;

  constructor(private readonly out: TraceBuilder) {}

  read(root: JsonNode, origin: RecordOrigin): void {
    this.origin = origin;
    const line = origin.shape === 'lines' ? origin.locate(root, '$').line : undefined;
    this.session = line !== undefined && line > 1 ? `${this.out.file}:${line}` : undefined;
    this.time = undefined;
    this.awaitsResult = true;
    this.legacy = new Map();
    if (root.kind === 'array') this.messages(root.items, '$');
    else if (root.kind === 'object' && stringAt(root, 'object') === 'chat.completion') this.response(root);
    else if (root.kind === 'object' && root.members.has('messages')) this.request(root);
    else {
      this.out.skip('wrongType', `expected a Chat Completions request, response or message list, found ${describeShape(root)}`, this.at(root, '$'));
      return;
    }
  }

  private at(node: JsonNode, path: string): SourceLocation {
    return this.origin.locate(node, path);
  }

  private request(root: JsonObject): void {
    this.toolDefinitions(root, 'tools');
    this.toolDefinitions(root, 'functions');
    const messages = member(root, 'messages')!;
    if (messages.kind !== 'array') {
      this.out.skip('wrongType', `\`messages\` should be an array, found ${describeJsonKind(messages)}`, this.at(messages, '$.messages'));
      return;
    }
    this.messages(messages.items, '$.messages');
  }

  private toolDefinitions(root: JsonObject, key: string): void {
    const tools = member(root, key);
    if (tools === undefined || tools.kind === 'null') return;
    const path = pathKey('$', key);
    if (tools.kind !== 'array') {
      this.out.diagnostic('wrongType', `\`${key}\` should be an array of tool definitions, found ${describeJsonKind(tools)}; ignored`, this.at(tools, path));
      return;
    }
    this.out.tools(tools.items.map((tool, index) => this.out.plain(tool, this.at(tool, pathIndex(path, index)))));
  }

  private response(root: JsonObject): void {
    const created = member(root, 'created');
    if (created?.kind === 'number') this.time = secondsToMs(created.value);
    if (created !== undefined && this.time === undefined) this.out.diagnostic('invalidTime', `\`created\` should be Unix seconds, found ${created.kind === 'number' ? created.value : describeJsonKind(created)}`, this.at(created, '$.created'));
    this.awaitsResult = false;
    const choices = member(root, 'choices');
    if (choices?.kind !== 'array') {
      this.out.skip(choices ? 'wrongType' : 'missingField', choices ? `\`choices\` should be an array, found ${describeJsonKind(choices)}` : 'a `chat.completion` needs `choices`', this.at(choices ?? root, '$.choices'));
      return;
    }
    choices.items.forEach((choice, index) => {
      const path = pathIndex('$.choices', index);
      const message = member(choice, 'message');
      if (message?.kind !== 'object') {
        this.out.skip(message ? 'wrongType' : 'missingField', message ? `\`message\` should be an object, found ${describeJsonKind(message)}` : 'a choice needs a `message`', this.at(message ?? choice, `${path}.message`));
        return;
      }
      this.message(message, `${path}.message`);
    });
  }

  private messages(items: readonly JsonNode[], path: string): void {
    items.forEach((message, index) => this.message(message, pathIndex(path, index)));
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
      case 'developer':
        return; // instructions to the model: neither a request nor an action
      case 'user':
        this.text(node, path, 'user');
        return;
      case 'assistant':
        this.assistant(node, path);
        return;
      case 'tool':
        this.toolResult(node, path);
        return;
      case 'function':
        this.legacyResult(node, path);
        return;
      default: {
        const problem = roleProblem(role);
        this.out.skip(problem.kind, problem.message, this.at(role ?? node, role ? `${path}.role` : path));
      }
    }
  }

  /** The message's text as a user or agent message, when there is any. */
  private text(node: JsonObject, path: string, who: 'user' | 'agent'): void {
    const content = member(node, 'content');
    let text = contentText(content);
    if (content !== undefined && text === undefined && content.kind !== 'null') {
      this.out.diagnostic('wrongType', `\`content\` should be a string or a list of parts, found ${describeJsonKind(content)}; ignored`, this.at(content, `${path}.content`));
    }
    if (who === 'agent' && (text === undefined || text.trim() === '')) text = stringAt(node, 'refusal');
    if (text === undefined || text.trim() === '') return;
    const input = { session: this.session, text, time: this.time, source: this.at(node, path) };
    if (who === 'user') this.out.userMessage(input);
    else this.out.agentMessage(input);
  }

  private assistant(node: JsonObject, path: string): void {
    this.text(node, path, 'agent');
    const agent = stringAt(node, 'name');
    const calls = member(node, 'tool_calls');
    if (calls !== undefined && calls.kind !== 'null') {
      if (calls.kind === 'array') calls.items.forEach((call, index) => this.toolCall(call, pathIndex(`${path}.tool_calls`, index), agent));
      else this.out.skip('wrongType', `\`tool_calls\` should be an array, found ${describeJsonKind(calls)}`, this.at(calls, `${path}.tool_calls`));
    }
    const legacy = member(node, 'function_call');
    if (legacy !== undefined && legacy.kind !== 'null') this.legacyCall(legacy, `${path}.function_call`, agent);
  }

  private toolCall(node: JsonNode, path: string, agent: string | undefined): void {
    if (node.kind !== 'object') {
      this.out.skip('wrongType', `a tool call should be an object, found ${describeJsonKind(node)}`, this.at(node, path));
      return;
    }
    const type = stringAt(node, 'type') ?? 'function';
    const body = member(node, type);
    if (body?.kind !== 'object') {
      this.out.skip(body ? 'wrongType' : 'missingField', body ? `\`${type}\` should be an object, found ${describeJsonKind(body)}; the call is skipped` : `a \`${type}\` tool call needs \`${type}\`; skipped`, this.at(body ?? node, pathKey(path, type)));
      return;
    }
    const bodyPath = pathKey(path, type);
    const name = this.toolName(body, bodyPath);
    if (name === undefined) return;
    const id = member(node, 'id');
    const callId = id?.kind === 'string' && id.value !== '' ? id.value : undefined;
    if (callId === undefined) this.out.diagnostic(id ? 'wrongType' : 'missingField', id ? `\`id\` should be a string, found ${describeJsonKind(id)}; the call cannot be paired` : 'the tool call has no `id`; it cannot be paired with a result', this.at(id ?? node, `${path}.id`));
    const args = type === 'custom' ? this.customInput(body, bodyPath) : this.functionArguments(body, bodyPath);
    this.out.toolCall({ session: this.session, agent, tool: name, ...args, callId, time: this.time, source: this.at(node, path), awaitsResult: this.awaitsResult && callId !== undefined });
  }

  private toolName(body: JsonObject, path: string): string | undefined {
    const name = member(body, 'name');
    if (name?.kind === 'string' && name.value !== '') return name.value;
    this.out.skip(name ? 'wrongType' : 'missingField', `${name ? `\`name\` should be a tool name, found ${describeJsonKind(name)}` : 'the tool call has no `name`'}; skipped`, this.at(name ?? body, `${path}.name`));
    return undefined;
  }

  /** `arguments`: a JSON string (usually), or an object some producers write already parsed. */
  private functionArguments(body: JsonObject, path: string): { args: Record<string, unknown>; argsRaw?: string } {
    const args = member(body, 'arguments');
    const at = this.at(args ?? body, `${path}.arguments`);
    if (args === undefined || args.kind === 'null') return { args: {} };
    if (args.kind === 'string') return this.out.argumentsFromText(args.value, at);
    if (args.kind === 'object') return { args: this.out.plain(args, at) as Record<string, unknown> };
    this.out.diagnostic('invalidArguments', `\`arguments\` should be a JSON string, found ${describeJsonKind(args)}; kept raw`, at);
    return { args: {}, argsRaw: JSON.stringify(this.out.plain(args, at)) };
  }

  /** A custom tool's `input` is free text: kept raw, with no arguments. */
  private customInput(body: JsonObject, path: string): { args: Record<string, unknown>; argsRaw?: string } {
    const input = member(body, 'input');
    if (input?.kind === 'string') return { args: {}, argsRaw: input.value };
    if (input !== undefined && input.kind !== 'null') this.out.diagnostic('wrongType', `\`input\` of a custom tool call should be text, found ${describeJsonKind(input)}; ignored`, this.at(input, `${path}.input`));
    return { args: {} };
  }

  private toolResult(node: JsonObject, path: string): void {
    const id = member(node, 'tool_call_id');
    if (id?.kind !== 'string') {
      this.out.skip(id ? 'wrongType' : 'missingField', `${id ? `\`tool_call_id\` should be a string, found ${describeJsonKind(id)}` : 'a `tool` message needs `tool_call_id`'} to pair it with its call; skipped`, this.at(id ?? node, `${path}.tool_call_id`));
      return;
    }
    this.out.result({ session: this.session, callId: id.value, result: this.resultText(node, path), source: this.at(node, path) });
  }

  private resultText(node: JsonObject, path: string): string | undefined {
    const content = member(node, 'content');
    const text = contentText(content);
    if (content !== undefined && content.kind !== 'null' && text === undefined) {
      this.out.diagnostic('wrongType', `\`content\` should be a string or a list of parts, found ${describeJsonKind(content)}; the result is left empty`, this.at(content, `${path}.content`));
    }
    return text;
  }

  private legacyCall(node: JsonNode, path: string, agent: string | undefined): void {
    if (node.kind !== 'object') {
      this.out.skip('wrongType', `\`function_call\` should be an object, found ${describeJsonKind(node)}`, this.at(node, path));
      return;
    }
    const name = this.toolName(node, path);
    if (name === undefined) return;
    const key = this.awaitsResult ? `\u0000function_call ${++this.legacyKeys}` : undefined;
    const draft = this.out.toolCall({ session: this.session, agent, tool: name, ...this.functionArguments(node, path), callId: key, time: this.time, source: this.at(node, path), awaitsResult: key !== undefined });
    delete draft.callId;
    if (key === undefined) return;
    const queue = this.legacy.get(name);
    if (queue === undefined) this.legacy.set(name, [key]);
    else queue.push(key);
  }

  private legacyResult(node: JsonObject, path: string): void {
    const name = member(node, 'name');
    if (name?.kind !== 'string') {
      this.out.skip(name ? 'wrongType' : 'missingField', `${name ? `\`name\` should be a string, found ${describeJsonKind(name)}` : 'a `function` message needs `name`'} to pair it with its call; skipped`, this.at(name ?? node, `${path}.name`));
      return;
    }
    const key = this.legacy.get(name.value)?.shift();
    if (key === undefined) {
      this.out.skip('orphanResult', `a \`function\` result for \`${name.value}\`, which no earlier unanswered \`function_call\` has`, this.at(node, path));
      return;
    }
    this.out.result({ session: this.session, callId: key, result: this.resultText(node, path), source: this.at(node, path) });
  }
}

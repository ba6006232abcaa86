// Chat messages recorded on spans → user messages, agent messages and, in traces that have no
// tool span, tool calls paired with their results by call id. Two encodings are read:
// - GenAI: `gen_ai.input.messages` / `gen_ai.output.messages`, a JSON string or a structured value
//   `[{role, parts: [{type: "text", content} | {type: "tool_call", id?, name, arguments?} |
//   {type: "tool_call_response", id?, response | result}]}]` (§1.3);
// - OpenInference: `llm.input_messages.N.message.{role, content, contents.K.message_content.text,
//   tool_calls.M.tool_call.{id, function.name, function.arguments}, tool_call_id}`, and
//   `llm.output_messages.…` (§1.6).
// The text/plain `input.value` of an agent span (OpenInference `AGENT`, GenAI `invoke_agent`) is
// the user's request. System messages are skipped. Every model call repeats the conversation so
// far, so each message is written once: messages are counted per span and per session, and one is
// written only when a span holds more of it than any span before it.

import { parseJsonTree, type JsonNode } from '../../../language/catalog/jsonTree';
import type { SourceLocation } from '../../event';
import type { TraceBuilder } from '../builder';
import { member } from '../json';
import type { OtelSpan, SpanAttributes, SpanValue } from './otelSpans';

export interface MessageContext {
  readonly session?: string;
  readonly agent?: string;
  /** Whether tool calls in the messages are the trace's calls (it has no tool spans). */
  readonly readsToolCalls: boolean;
  /** Whether the span's text `input.value` is the user's request. */
  readonly userInput: boolean;
}

interface MessageCall {
  readonly id?: string;
  readonly name?: string;
  readonly args?: JsonNode;
}

interface MessageResult {
  readonly id?: string;
  readonly content?: JsonNode;
}

interface ChatMessage {
  readonly role: string;
  readonly texts: string[];
  readonly calls: MessageCall[];
  readonly results: MessageResult[];
  readonly at: SourceLocation;
}

const OPENINFERENCE_MESSAGE = /^llm\.(input|output)_messages\.(\d+)\.message\.(.+)$/;

export class MessageWriter {
  /** Per session: how many of each message the spans so far have held. */
  private readonly seen = new Map<string, Map<string, number>>();

  constructor(private readonly out: TraceBuilder) {}

  /** Writes what is new in one span's messages. */
  span(span: OtelSpan, context: MessageContext): void {
    const input = [...this.genAiMessages(span.attributes, 'gen_ai.input.messages'), ...openinferenceMessages(span.attributes, 'input')];
    const output = [...this.genAiMessages(span.attributes, 'gen_ai.output.messages'), ...openinferenceMessages(span.attributes, 'output')];
    const request = context.userInput ? userInput(span.attributes) : undefined;
    if (request !== undefined) input.unshift(request);
    if (input.length === 0 && output.length === 0) return;
    const sessionKey = context.session ?? '';
    let seen = this.seen.get(sessionKey);
    if (seen === undefined) this.seen.set(sessionKey, (seen = new Map()));
    const counts = new Map<string, number>();
    const fresh = (key: string): boolean => {
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      if (count <= (seen.get(key) ?? 0)) return false;
      seen.set(key, count);
      return true;
    };
    for (const message of input) this.message(message, span.start, context, fresh);
    for (const message of output) this.message(message, span.end ?? span.start, context, fresh);
  }

  private message(message: ChatMessage, time: number | undefined, context: MessageContext, fresh: (key: string) => boolean): void {
    const { session, agent } = context;
    const text = message.texts.join('\n');
    const source = message.at;
    switch (message.role) {
      case 'user':
      case 'human':
        if (text.trim() !== '' && fresh(`user\u0000${text}`)) this.out.userMessage({ session, text, time, source });
        break;
      case 'assistant':
      case 'ai':
      case 'model':
        if (text.trim() !== '' && fresh(`agent\u0000${text}`)) this.out.agentMessage({ session, text, time, source });
        break;
      default:
        break; // system, developer and tool messages carry no text of the user's or the agent's
    }
    if (!context.readsToolCalls) return;
    for (const call of message.calls) {
      if (call.name === undefined || call.name === '') {
        if (fresh(`bad call\u0000${call.id ?? ''}`)) this.out.skip('missingField', 'a tool call in the messages has no function name; it is skipped', source);
        continue;
      }
      const read = this.arguments(call.args, source);
      if (!fresh(`call\u0000${call.id ?? `${call.name}\u0000${read.argsRaw ?? JSON.stringify(read.args)}`}`)) continue;
      this.out.toolCall({ session, agent, tool: call.name, ...read, callId: call.id, time, source, awaitsResult: call.id !== undefined });
    }
    for (const result of message.results) {
      if (result.id === undefined) {
        if (fresh('bad result')) this.out.skip('missingField', 'a tool message has no `tool_call_id` to pair it with its call; it is skipped', source);
        continue;
      }
      if (!fresh(`result\u0000${result.id}`)) continue;
      const content = result.content;
      const value = content === undefined || content.kind === 'null' ? undefined : content.kind === 'string' ? content.value : this.out.plain(content, source);
      this.out.result({ session, callId: result.id, result: value, source });
    }
  }

  private arguments(node: JsonNode | undefined, at: SourceLocation): { args: Record<string, unknown>; argsRaw?: string } {
    if (node === undefined || node.kind === 'null') return { args: {} };
    if (node.kind === 'string') return this.out.argumentsFromText(node.value, at);
    if (node.kind === 'object') return { args: this.out.plain(node, at) as Record<string, unknown> };
    this.out.diagnostic('invalidArguments', 'the arguments are not an object; they are kept raw and conditions on them see no arguments', at);
    return { args: {}, argsRaw: JSON.stringify(this.out.plain(node, at)) };
  }

  /** GenAI `[{role, parts}]`, written as JSON text or as a structured value. */
  private genAiMessages(attributes: SpanAttributes, key: string): ChatMessage[] {
    const value = attributes.get(key);
    if (value === undefined) return [];
    let list: JsonNode = value.node;
    if (list.kind === 'string') {
      const parsed = parseJsonTree(list.value);
      if (!parsed.ok) {
        this.out.diagnostic('wrongType', `\`${key}\` is not valid JSON (${parsed.message}); its messages are skipped`, value.at);
        return [];
      }
      list = parsed.value;
    }
    if (list.kind !== 'array') {
      this.out.diagnostic('wrongType', `\`${key}\` should be a list of messages; its messages are skipped`, value.at);
      return [];
    }
    return list.items.flatMap((item) => genAiMessage(item, value));
  }
}

function genAiMessage(node: JsonNode, value: SpanValue): ChatMessage[] {
  const role = member(node, 'role');
  const parts = member(node, 'parts');
  if (role?.kind !== 'string' || parts?.kind !== 'array') return [];
  const message: ChatMessage = { role: role.value, texts: [], calls: [], results: [], at: value.at };
  for (const part of parts.items) {
    const type = member(part, 'type');
    const id = idOf(member(part, 'id'));
    if (type?.kind !== 'string') continue;
    if (type.value === 'text') {
      const content = member(part, 'content');
      if (content?.kind === 'string') message.texts.push(content.value);
    } else if (type.value === 'tool_call') {
      const name = member(part, 'name');
      message.calls.push({ id, name: name?.kind === 'string' ? name.value : undefined, args: member(part, 'arguments') });
    } else if (type.value === 'tool_call_response') {
      // The docs example writes `result` where the schema says `response`.
      message.results.push({ id, content: member(part, 'response') ?? member(part, 'result') });
    }
  }
  return [message];
}

function idOf(node: JsonNode | undefined): string | undefined {
  if (node?.kind === 'string' && node.value !== '') return node.value;
  if (node?.kind === 'number') return String(node.value);
  return undefined;
}

/** OpenInference's flattened `llm.{input,output}_messages.N.message.*` keys, in index order. */
function openinferenceMessages(attributes: SpanAttributes, direction: 'input' | 'output'): ChatMessage[] {
  const byIndex = new Map<number, Map<string, SpanValue>>();
  for (const [key, value] of attributes) {
    const match = OPENINFERENCE_MESSAGE.exec(key);
    if (match === null || match[1] !== direction) continue;
    const index = Number(match[2]);
    let fields = byIndex.get(index);
    if (fields === undefined) byIndex.set(index, (fields = new Map()));
    fields.set(match[3]!, value);
  }
  return [...byIndex.keys()].sort((a, b) => a - b).map((index) => openinferenceMessage(byIndex.get(index)!));
}

function openinferenceMessage(fields: ReadonlyMap<string, SpanValue>): ChatMessage {
  const text = (key: string) => {
    const node = fields.get(key)?.node;
    return node?.kind === 'string' ? node.value : undefined;
  };
  const at = (fields.get('role') ?? fields.values().next().value!).at;
  const message: ChatMessage = { role: text('role') ?? '', texts: [], calls: [], results: [], at };
  const content = text('content');
  if (content !== undefined) message.texts.push(content);
  const parts = new Map<number, string>();
  const calls = new Map<number, { id?: string; name?: string; args?: JsonNode }>();
  for (const [key, value] of fields) {
    const part = /^contents\.(\d+)\.message_content\.text$/.exec(key);
    if (part !== null && value.node.kind === 'string') parts.set(Number(part[1]), value.node.value);
    const call = /^tool_calls\.(\d+)\.tool_call\.(id|function\.name|function\.arguments)$/.exec(key);
    if (call === null) continue;
    const index = Number(call[1]);
    const entry = calls.get(index) ?? {};
    calls.set(index, entry);
    if (call[2] === 'id') entry.id = idOf(value.node);
    else if (call[2] === 'function.name') entry.name = value.node.kind === 'string' ? value.node.value : undefined;
    else entry.args = value.node;
  }
  for (const index of [...parts.keys()].sort((a, b) => a - b)) message.texts.push(parts.get(index)!);
  for (const index of [...calls.keys()].sort((a, b) => a - b)) message.calls.push(calls.get(index)!);
  const answers = fields.get('tool_call_id');
  if (answers !== undefined || message.role === 'tool') {
    message.results.push({ id: answers === undefined ? undefined : idOf(answers.node), content: fields.get('content')?.node });
    message.texts.length = 0;
  }
  return message;
}

/** An agent span's text `input.value`: the request it was given. */
function userInput(attributes: SpanAttributes): ChatMessage | undefined {
  const value = attributes.get('input.value');
  const mime = attributes.get('input.mime_type')?.node;
  if (value?.node.kind !== 'string' || mime?.kind !== 'string' || mime.value !== 'text/plain') return undefined;
  return { role: 'user', texts: [value.node.value], calls: [], results: [], at: value.at };
}

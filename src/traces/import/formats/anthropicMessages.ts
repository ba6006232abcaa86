// Anthropic Messages API bodies → normalized events. A file holds a request body
// `{model, max_tokens, system?, messages, tools?}`, a response `{type: "message", role:
// "assistant", content}`, a bare array of messages, one message `{role, content}`, or JSON Lines
// of any of these (a request/response log).
//
// - `user` turns: their `text` blocks (or string content) → a user message; `tool_result` and
//   `mcp_tool_result` blocks → the result of the call with that `tool_use_id`. A turn holding only
//   results gives no user message.
// - `assistant` turns: `text` → an agent message (when not blank); `tool_use`, `server_tool_use`
//   and `mcp_tool_use` (`server_name` → server) → a tool call, `id` → call id, `input` (an object)
//   → args. A server tool's `*_tool_result` block in the same turn is its result.
// - `is_error: true` → the call's error, whose text is the result's text. Results are kept as
//   text: a string as recorded, or the text of `text` and text `document` blocks joined by
//   newlines; server tool results, which are structured, are kept as their plain JSON value.
// - `tools` → tool definitions; `system`, `thinking` and media blocks are skipped silently.
// - The format records no time, agent or session: events get the synthetic clock and the default
//   agent. A request repeats the conversation so far: a value whose messages continue the
//   conversation read before adds only the new ones; one that starts a different conversation
//   starts a new session, `<file>:<line>` (the first conversation is the file's session).
// - A response's `tool_use` with no result in the file is flagged `unpaired` (correct for a
//   response file: the result is in the next request).
//
// The turn reader is shared with the Claude Code importer, whose lines hold Anthropic messages.

import type { JsonNode, JsonObject } from '../../../language/catalog/jsonTree';
import type { RecordedOutcome, SourceLocation } from '../../event';
import type { TraceBuilder } from '../builder';
import { describeJsonKind, member, roleProblem, stringAt } from '../json';
import type { Detection, RecordOrigin, RecordReader, TraceImporter } from '../types';

/** The error text of a failed call whose result holds no text. */
export const NO_ERROR_TEXT = 'the tool reported an error without a message';

/** Where the turns of one message go. */
export interface TurnContext {
  readonly locate: (node: JsonNode, path: string) => SourceLocation;
  readonly session?: string;
  readonly time?: number;
  readonly agent?: string;
  /** The user turns were written by another agent (a subagent's prompt): their text is an agent message, not a trusted request. */
  readonly userIsAgent?: boolean;
}

export interface TurnOptions {
  /** The server of a tool known only by its name (Claude Code's `mcp__<server>__<tool>`). */
  readonly serverOf?: (tool: string) => string | undefined;
  /** The production outcome a result's text records (a user rejecting the call). */
  readonly outcomeOf?: (text: string, isError: boolean) => RecordedOutcome | undefined;
}

const CALL_BLOCKS: ReadonlySet<string> = new Set(['tool_use', 'server_tool_use', 'mcp_tool_use']);
const RESULT_BLOCKS: ReadonlySet<string> = new Set(['tool_result', 'mcp_tool_result']);

/** Reads the content blocks of Anthropic messages into calls, results and messages. */
export class AnthropicTurns {
  constructor(
    private readonly out: TraceBuilder,
    private readonly options: TurnOptions = {},
  ) {}

  /** One message `{role, content}`; `role` overrides a missing role (Claude Code's line type). */
  message(node: JsonNode, path: string, ctx: TurnContext, role?: string): void {
    if (node.kind !== 'object') {
      this.out.skip('wrongType', `a message should be an object, found ${describeJsonKind(node)}`, ctx.locate(node, path));
      return;
    }
    const roleNode = member(node, 'role');
    const name = roleNode?.kind === 'string' ? roleNode.value : role;
    if (name === 'system') return; // a system prompt: neither a request nor an action
    if (name !== 'user' && name !== 'assistant') {
      const problem = roleProblem(roleNode);
      this.out.skip(problem.kind, problem.message, ctx.locate(roleNode ?? node, roleNode ? `${path}.role` : path));
      return;
    }
    const content = member(node, 'content');
    if (content === undefined || content.kind === 'null') {
      this.out.skip('missingField', 'a message needs `content`; it is skipped', ctx.locate(node, path));
    } else if (content.kind === 'string') {
      this.text(name, content.value, ctx.locate(node, path), ctx);
    } else if (content.kind === 'array') {
      this.blocks(name, content.items, path, ctx);
    } else {
      this.out.skip('wrongType', `\`content\` should be a string or a list of blocks, found ${describeJsonKind(content)}`, ctx.locate(content, `${path}.content`));
    }
  }

  private text(role: 'user' | 'assistant', text: string, at: SourceLocation, ctx: TurnContext): void {
    if (text.trim() === '') return;
    const input = { session: ctx.session, time: ctx.time, text, source: at };
    if (role === 'user' && ctx.userIsAgent !== true) this.out.userMessage(input);
    else this.out.agentMessage(input);
  }

  /** Text blocks in a row become one message, emitted before the next tool block. */
  private blocks(role: 'user' | 'assistant', blocks: readonly JsonNode[], path: string, ctx: TurnContext): void {
    let texts: string[] = [];
    const flush = () => {
      if (texts.length > 0) this.text(role, texts.join('\n'), ctx.locate(blocks[0]!, path), ctx);
      texts = [];
    };
    blocks.forEach((block, index) => {
      const at = `${path}.content[${index}]`;
      if (block.kind !== 'object') {
        this.out.skip('wrongType', `a content block should be an object, found ${describeJsonKind(block)}`, ctx.locate(block, at));
        return;
      }
      const type = member(block, 'type');
      if (type?.kind !== 'string') {
        this.out.skip(type ? 'wrongType' : 'missingField', `${type ? `\`type\` should be a string, found ${describeJsonKind(type)}` : 'a content block needs `type`'}; the block is skipped`, ctx.locate(type ?? block, at));
        return;
      }
      if (type.value === 'text') {
        const text = member(block, 'text');
        if (text?.kind === 'string') texts.push(text.value);
        else this.out.skip(text ? 'wrongType' : 'missingField', `a \`text\` block needs \`text\` (a string)${text ? `, found ${describeJsonKind(text)}` : ''}`, ctx.locate(text ?? block, `${at}.text`));
        return;
      }
      if (CALL_BLOCKS.has(type.value)) {
        flush();
        this.call(block, type.value, at, ctx);
      } else if (RESULT_BLOCKS.has(type.value)) {
        flush();
        this.result(block, at, ctx);
      } else if (type.value.endsWith('_tool_result')) {
        flush();
        this.serverResult(block, at, ctx);
      }
      // thinking, images, documents the user attached, citations: not actions, not requests
    });
    flush();
  }

  private call(block: JsonObject, type: string, path: string, ctx: TurnContext): void {
    const name = member(block, 'name');
    if (name?.kind !== 'string' || name.value === '') {
      this.out.skip(name ? 'wrongType' : 'missingField', `${name ? `\`name\` should be a tool name, found ${describeJsonKind(name)}` : `a \`${type}\` block needs \`name\``}; the call is skipped`, ctx.locate(name ?? block, `${path}.name`));
      return;
    }
    const id = member(block, 'id');
    let callId: string | undefined;
    if (id?.kind === 'string' && id.value !== '') callId = id.value;
    else this.out.diagnostic(id ? 'wrongType' : 'missingField', `${id ? `\`id\` should be a string, found ${describeJsonKind(id)}` : `a \`${type}\` block needs \`id\``}; its result cannot be paired`, ctx.locate(id ?? block, `${path}.id`));
    const server = type === 'mcp_tool_use' ? stringAt(block, 'server_name') : this.options.serverOf?.(name.value);
    this.out.toolCall({
      session: ctx.session,
      agent: ctx.agent,
      time: ctx.time,
      tool: name.value,
      ...this.input(block, path, ctx),
      callId,
      server,
      source: ctx.locate(block, path),
      awaitsResult: callId !== undefined,
    });
  }

  /** `input` is an object; a string (a streamed partial) is parsed; anything else is kept raw. */
  private input(block: JsonObject, path: string, ctx: TurnContext): { args: Record<string, unknown>; argsRaw?: string } {
    const input = member(block, 'input');
    const at = ctx.locate(input ?? block, `${path}.input`);
    if (input === undefined || input.kind === 'null') return { args: {} };
    if (input.kind === 'object') return { args: this.out.plain(input, at) as Record<string, unknown> };
    if (input.kind === 'string') return this.out.argumentsFromText(input.value, at);
    this.out.diagnostic('invalidArguments', `\`input\` should be an object, found ${describeJsonKind(input)}; it is kept raw and conditions on it see no arguments`, at);
    return { args: {}, argsRaw: JSON.stringify(this.out.plain(input, at)) };
  }

  private result(block: JsonObject, path: string, ctx: TurnContext): void {
    const callId = this.resultId(block, path, ctx);
    if (callId === undefined) return;
    const isError = this.isError(block, path, ctx);
    const content = member(block, 'content');
    let text = '';
    if (content !== undefined && content.kind !== 'null') {
      const read = contentText(content);
      if (read === undefined) this.out.diagnostic('wrongType', `a result's \`content\` should be a string or a list of blocks, found ${describeJsonKind(content)}; it is read as empty`, ctx.locate(content, `${path}.content`));
      text = read ?? '';
    }
    const outcome = this.options.outcomeOf?.(text, isError);
    const source = ctx.locate(block, path);
    if (isError) this.out.result({ session: ctx.session, callId, error: text !== '' ? text : NO_ERROR_TEXT, outcome, source });
    else this.out.result({ session: ctx.session, callId, result: text, outcome, source });
  }

  /** A server tool's result (`web_search_tool_result`, ...): structured, kept as JSON. */
  private serverResult(block: JsonObject, path: string, ctx: TurnContext): void {
    const callId = this.resultId(block, path, ctx);
    if (callId === undefined) return;
    const content = member(block, 'content');
    const source = ctx.locate(block, path);
    const errorType = stringAt(content, 'type');
    if (errorType?.endsWith('_error')) {
      const code = stringAt(content, 'error_code');
      this.out.result({ session: ctx.session, callId, error: code !== undefined ? `${errorType}: ${code}` : errorType, source });
      return;
    }
    const result = content === undefined ? undefined : this.out.plain(content, ctx.locate(content, `${path}.content`));
    this.out.result({ session: ctx.session, callId, result, source });
  }

  private resultId(block: JsonObject, path: string, ctx: TurnContext): string | undefined {
    const id = member(block, 'tool_use_id');
    if (id?.kind === 'string' && id.value !== '') return id.value;
    this.out.skip(id ? 'wrongType' : 'missingField', `${id ? `\`tool_use_id\` should be a string, found ${describeJsonKind(id)}` : 'a result needs `tool_use_id`'}; it cannot be paired and is skipped`, ctx.locate(id ?? block, `${path}.tool_use_id`));
    return undefined;
  }

  private isError(block: JsonObject, path: string, ctx: TurnContext): boolean {
    const flag = member(block, 'is_error');
    if (flag === undefined || flag.kind === 'null') return false;
    if (flag.kind === 'boolean') return flag.value;
    this.out.diagnostic('wrongType', `\`is_error\` should be a boolean, found ${describeJsonKind(flag)}; the result is read as a success`, ctx.locate(flag, `${path}.is_error`));
    return false;
  }
}

/**
 * The text of a content field: a string as is, or the text of its `text` blocks, text
 * `document`s and `search_result`s joined by newlines (images and other media give none);
 * undefined when the field is neither a string nor a list.
 */
export function contentText(node: JsonNode): string | undefined {
  if (node.kind === 'string') return node.value;
  if (node.kind !== 'array') return undefined;
  const parts: string[] = [];
  for (const block of node.items) {
    const text = blockText(block);
    if (text !== undefined) parts.push(text);
  }
  return parts.join('\n');
}

function blockText(block: JsonNode): string | undefined {
  switch (stringAt(block, 'type')) {
    case 'text':
      return stringAt(block, 'text');
    case 'document': {
      const source = member(block, 'source');
      if (stringAt(source, 'type') === 'text') return stringAt(source, 'data');
      const inner = member(source, 'content');
      return inner === undefined ? undefined : contentText(inner);
    }
    case 'search_result': {
      const inner = member(block, 'content');
      return inner === undefined ? undefined : contentText(inner);
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Detection

/** Block types only Anthropic messages have (OpenAI's parts are `image_url`, `input_audio`, ...). */
const ANTHROPIC_BLOCKS: ReadonlySet<string> = new Set([
  'tool_use',
  'tool_result',
  'server_tool_use',
  'mcp_tool_use',
  'mcp_tool_result',
  'thinking',
  'redacted_thinking',
  'document',
  'search_result',
  'container_upload',
]);
const FOREIGN_ROLES: ReadonlySet<string> = new Set(['system', 'tool', 'developer', 'function']);
const FOREIGN_FIELDS = ['tool_calls', 'tool_call_id', 'function_call'];

/** Whether a list of messages is Anthropic's (`marked`), could be (`plain`), or is not. */
function judgeMessages(items: readonly JsonNode[]): 'marked' | 'plain' | 'foreign' {
  let marked = false;
  for (const item of items.slice(0, 64)) {
    const role = stringAt(item, 'role');
    if (item.kind !== 'object' || role === undefined || FOREIGN_ROLES.has(role)) return 'foreign';
    if (FOREIGN_FIELDS.some((field) => item.members.has(field))) return 'foreign';
    const content = member(item, 'content');
    if (content?.kind !== 'array') continue;
    for (const block of content.items) {
      const type = stringAt(block, 'type') ?? '';
      if (ANTHROPIC_BLOCKS.has(type) || type.endsWith('_tool_result') || (type === 'image' && member(block, 'source') !== undefined)) marked = true;
      else if (type !== 'text' && type !== 'image') return 'foreign';
    }
  }
  return marked ? 'marked' : 'plain';
}

function detectAnthropic(sample: JsonNode): Detection | undefined {
  if (sample.kind === 'array') {
    if (sample.items.length === 0) return undefined;
    const verdict = judgeMessages(sample.items);
    if (verdict === 'foreign') return undefined;
    return verdict === 'marked' ? { confidence: 0.85, reason: 'a list of messages with Anthropic content blocks (`tool_use`, `tool_result`, ...)' } : { confidence: 0.4, reason: 'a list of `user` and `assistant` messages' };
  }
  if (sample.kind !== 'object' || sample.members.has('suite_name')) return undefined;
  const messages = member(sample, 'messages');
  if (messages?.kind === 'array') return detectRequest(sample, messages.items);
  if (stringAt(sample, 'type') === 'message' && stringAt(sample, 'role') === 'assistant' && member(sample, 'content')?.kind === 'array') {
    return { confidence: 0.95, reason: 'an object with `type` `message`, `role` `assistant` and `content` blocks' };
  }
  if (sample.members.has('role') && !sample.members.has('type')) {
    const verdict = judgeMessages([sample]);
    if (verdict === 'marked') return { confidence: 0.8, reason: 'a message with Anthropic content blocks (`tool_use`, `tool_result`, ...)' };
  }
  return undefined;
}

function detectRequest(body: JsonObject, messages: readonly JsonNode[]): Detection | undefined {
  const verdict = judgeMessages(messages);
  if (verdict === 'foreign') return undefined;
  if (verdict === 'marked') return { confidence: 0.95, reason: 'an object with `messages` holding Anthropic content blocks (`tool_use`, `tool_result`, ...)' };
  const tools = member(body, 'tools');
  if (tools?.kind === 'array' && tools.items.some((tool) => member(tool, 'input_schema') !== undefined)) {
    return { confidence: 0.9, reason: 'an object with `messages` and `tools` defined by `input_schema`' };
  }
  if (body.members.has('system')) return { confidence: 0.8, reason: 'an object with `messages` and a top-level `system` prompt' };
  if (body.members.has('max_tokens') && body.members.has('model')) return { confidence: 0.5, reason: 'an object with `model`, `max_tokens` and `user`/`assistant` `messages`' };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading

export const anthropicMessagesImporter: TraceImporter = {
  format: 'anthropic',
  label: 'Anthropic Messages API',
  detect: (sample) => detectAnthropic(sample),
  start(out): RecordReader {
    const reader = new MessagesReader(out);
    return { read: (value, origin) => reader.read(value, origin), finish: () => undefined };
  },
};

class MessagesReader {
  private readonly turns: AnthropicTurns;
  /** Fingerprints of the messages of the current conversation, in order. */
  private conversation: string[] = [];
  private session: string | undefined;
  private readonly toolKeys = new Set<string>();

  constructor(private readonly out: TraceBuilder) {
    this.turns = new AnthropicTurns(out);
  }

  read(root: JsonNode, origin: RecordOrigin): void {
    if (root.kind === 'array') {
      this.messages(root.items, '$', root, origin);
      return;
    }
    if (root.kind !== 'object') {
      this.out.skip('wrongType', `expected a Messages request, response or message list, found ${describeJsonKind(root)}`, origin.locate(root, '$'));
      return;
    }
    const messages = member(root, 'messages');
    if (messages !== undefined) {
      this.tools(root, origin);
      if (messages.kind === 'array') this.messages(messages.items, '$.messages', root, origin);
      else this.out.skip('wrongType', `\`messages\` should be an array, found ${describeJsonKind(messages)}`, origin.locate(messages, '$.messages'));
    } else if (stringAt(root, 'type') === 'error') {
      this.out.skip('unknownRecord', 'an API error response holds no messages; it is skipped', origin.locate(root, '$'));
    } else if (root.members.has('role') || stringAt(root, 'type') === 'message') {
      this.continueWith([root], 0, '$', origin, true);
    } else {
      this.out.skip('missingField', `expected a request (\`messages\`), a response (\`type\` \`message\`) or a message (\`role\`), found ${describeJsonKind(root)} without them`, origin.locate(root, '$'));
    }
  }

  /** A request's messages: the part that continues the conversation read so far is new. */
  private messages(items: readonly JsonNode[], path: string, root: JsonNode, origin: RecordOrigin): void {
    const prints = items.map(fingerprint);
    const known = this.conversation;
    const overlap = Math.min(known.length, prints.length);
    let continues = true;
    for (let i = 0; i < overlap && continues; i++) continues = known[i] === prints[i];
    if (!continues) {
      this.conversation = [];
      this.session = `${this.out.file}:${origin.locate(root, '$').line ?? 1}`;
    }
    const start = continues ? known.length : 0;
    this.continueWith(items, start, path, origin, false);
  }

  private continueWith(items: readonly JsonNode[], start: number, path: string, origin: RecordOrigin, single: boolean): void {
    const ctx: TurnContext = { locate: origin.locate, session: this.session };
    for (let i = start; i < items.length; i++) {
      const item = items[i]!;
      this.turns.message(item, single ? path : `${path}[${i}]`, ctx, single && stringAt(item, 'type') === 'message' ? 'assistant' : undefined);
      this.conversation.push(fingerprint(item));
    }
  }

  /** A request's `tools`, each definition once per file. */
  private tools(root: JsonObject, origin: RecordOrigin): void {
    const tools = member(root, 'tools');
    if (tools === undefined || tools.kind === 'null') return;
    if (tools.kind !== 'array') {
      this.out.diagnostic('wrongType', `\`tools\` should be an array, found ${describeJsonKind(tools)}; ignored`, origin.locate(tools, '$.tools'));
      return;
    }
    const fresh: unknown[] = [];
    tools.items.forEach((tool, index) => {
      const plain = this.out.plain(tool, origin.locate(tool, `$.tools[${index}]`));
      const key = JSON.stringify(plain);
      if (this.toolKeys.has(key)) return;
      this.toolKeys.add(key);
      fresh.push(plain);
    });
    if (fresh.length > 0) this.out.tools(fresh);
  }
}

/**
 * What identifies a message when a later request repeats it: its role and, per block, the type
 * with the id or text. Thinking blocks are left out (clients may drop them from the history).
 */
function fingerprint(node: JsonNode): string {
  const role = stringAt(node, 'role') ?? (stringAt(node, 'type') === 'message' ? 'assistant' : '?');
  const content = member(node, 'content');
  if (content?.kind === 'string') return JSON.stringify([role, content.value]);
  if (content?.kind !== 'array') return JSON.stringify([role, content?.kind ?? 'none']);
  const parts: string[] = [role];
  for (const block of content.items) {
    const type = stringAt(block, 'type') ?? '?';
    if (type === 'thinking' || type === 'redacted_thinking') continue;
    parts.push(type, stringAt(block, 'id') ?? stringAt(block, 'tool_use_id') ?? stringAt(block, 'text') ?? '');
  }
  return JSON.stringify(parts);
}

// MCP (Model Context Protocol) traffic, JSON-RPC 2.0, → tool calls. It reads:
// - messages as a JSON array, as JSON Lines (one message or one batch array per line), or one
//   message alone;
// - recorder cassettes (mcp-recorder): `{version, metadata, interactions: [{type, request,
//   response, latency_ms}]}`;
// - log wrappers, one record per message: `{timestamp, direction|type, message|request|response,
//   sessionId?}`;
// - the spec's bare fragments: a `Tool`, a `ListToolsResult`, a `CallToolResult` or an error object.
//
// How fields map:
// - A `tools/call` request is a tool call: `params.name` → tool, `params.arguments` → args (a JSON
//   string is parsed; anything else that is not an object is kept raw, GH4112), `id` → callId.
// - Agent: `params._meta["io.modelcontextprotocol/clientInfo"].name` (2026-07-28), else the
//   `params.clientInfo.name` of the session's `initialize`, else the default.
// - Server: the cassette's `metadata.server_info.name`, the `initialize` result's `serverInfo.name`
//   or a result's `_meta["io.modelcontextprotocol/serverInfo"].name`.
// - The response with the call's id, in the same session, is its result: `structuredContent` as a
//   plain JSON value when present, else the text of the `text` (and embedded `resource`) content
//   blocks joined by newlines, else the content blocks as recorded. `isError: true` makes that text
//   the error; a JSON-RPC `error` gives the error `code: message`. A result with `resultType:
//   "input_required"` is interim: the call keeps waiting.
// - `tools/list` results and bare `Tool` objects are the trace's tool definitions.
// - Other methods and notifications are not tool calls: they are skipped, with one GH4114 per
//   unfamiliar method (none for the protocol's plumbing: initialize, ping, notifications).
// - Session: a `session_id`/`sessionId`/`Mcp-Session-Id` (header) field of the cassette metadata,
//   an interaction or a wrapper; else the file. MCP itself records no time: a wrapper's `timestamp`
//   (ISO 8601 with a zone, or epoch milliseconds or seconds), or in a cassette
//   `metadata.recorded_at` plus the `latency_ms` of the interactions before; else none.
// A result whose request is not in the file (a lone response, a bare result, an error without an
// id) cannot be paired: it is skipped as an orphan (GH4111). A call whose response never comes is
// kept and flagged `unpaired` (GH4110).

import type { JsonNode, JsonObject } from '../../../language/catalog/jsonTree';
import type { SourceLocation } from '../../event';
import type { TraceBuilder } from '../builder';
import { arrayAt, booleanAt, describeJsonKind, describeShape, member, numberAt, objectAt, pathIndex, pathKey, stringAt } from '../json';
import { isoToMs, MAX_TIME_MS, secondsToMs } from '../time';
import type { Detection, RecordOrigin, RecordReader, TraceImporter } from '../types';

const CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
const SERVER_INFO = 'io.modelcontextprotocol/serverInfo';
/** The members of a log wrapper record that hold the JSON-RPC message, in reading order. */
const WRAPPED = ['message', 'request', 'response', 'payload', 'data'] as const;
/** Members naming the MCP session on a cassette, an interaction or a wrapper record. */
const SESSION_KEYS = ['session_id', 'sessionId', 'mcp_session_id', 'mcpSessionId', 'Mcp-Session-Id', 'mcp.session.id'] as const;
const HEADER_KEYS = ['headers', 'request_headers', 'response_headers'] as const;
const TIME_KEYS = ['timestamp', 'time', 'ts'] as const;
/** The protocol's plumbing: read for identity and tools, or ignored without a note. */
const QUIET_METHODS = new Set(['initialize', 'tools/list', 'ping', 'server/discover', 'logging/setLevel']);

type ToolCallDraft = ReturnType<TraceBuilder['toolCall']>;

/** Where a message sits in the traffic: its session and the time its wrapper records. */
interface Context {
  readonly session: string | undefined;
  readonly time: number | undefined;
}

interface SessionState {
  agent?: string;
  server?: string;
  /** The method of each request still waiting for its response, by id. */
  readonly requests: Map<string, string>;
}

type CallOutcome = { readonly result?: unknown; readonly error?: string } | 'interim';

export const mcpImporter: TraceImporter = {
  format: 'mcp',
  label: 'MCP JSON-RPC messages',
  detect: detectMcp,
  start(out) {
    const reader = new McpReader(out);
    return { read: (value, origin) => reader.read(value, origin), finish: () => undefined } satisfies RecordReader;
  },
};

function detectMcp(sample: JsonNode): Detection | undefined {
  if (sample.kind === 'array') {
    const first = sample.items[0];
    if (first !== undefined && isJsonRpc(first)) return { confidence: 0.95, reason: 'an array of JSON-RPC 2.0 messages (`jsonrpc`)' };
    if (first !== undefined && isWrapper(first)) return { confidence: 0.9, reason: 'an array of log records wrapping JSON-RPC messages' };
    return undefined;
  }
  if (sample.kind !== 'object') return undefined;
  if (isJsonRpc(sample)) return { confidence: 0.95, reason: 'a JSON-RPC 2.0 message (`jsonrpc`)' };
  const interactions = arrayAt(sample, 'interactions');
  if (interactions?.slice(0, 10).some((item) => isJsonRpc(member(item, 'request')) || isJsonRpc(member(item, 'response')))) {
    return { confidence: 0.95, reason: 'a recorder cassette: `interactions` holding JSON-RPC messages' };
  }
  if (isWrapper(sample)) return { confidence: 0.9, reason: 'a log record wrapping a JSON-RPC message' };
  if (member(sample, 'resultType') !== undefined && arrayAt(sample, 'content')) return { confidence: 0.8, reason: 'a `CallToolResult` (`resultType` and `content`)' };
  if (arrayAt(sample, 'content') && (booleanAt(sample, 'isError') !== undefined || member(sample, 'structuredContent') !== undefined)) {
    return { confidence: 0.7, reason: 'a `CallToolResult` (`content` with `isError` or `structuredContent`)' };
  }
  if (isToolDefinition(arrayAt(sample, 'tools')?.[0])) return { confidence: 0.8, reason: 'a `ListToolsResult` (`tools` with `inputSchema`)' };
  if (isToolDefinition(sample)) return { confidence: 0.7, reason: 'a `Tool` definition (`name` and `inputSchema`)' };
  if (isErrorObject(sample)) return { confidence: 0.5, reason: 'a JSON-RPC error object (`code` and `message`)' };
  return undefined;
}

function isJsonRpc(node: JsonNode | undefined): boolean {
  if (node?.kind === 'array') return isJsonRpc(node.items[0]);
  return stringAt(node, 'jsonrpc') === '2.0';
}

function isMessage(node: JsonObject): boolean {
  return ['jsonrpc', 'method', 'result', 'error'].some((key) => node.members.has(key));
}

function isWrapper(node: JsonNode): boolean {
  return node.kind === 'object' && !isMessage(node) && WRAPPED.some((key) => isJsonRpc(member(node, key)));
}

function isToolDefinition(node: JsonNode | undefined): boolean {
  return stringAt(node, 'name') !== undefined && objectAt(node, 'inputSchema') !== undefined;
}

function isErrorObject(node: JsonObject): boolean {
  return numberAt(node, 'code') !== undefined && stringAt(node, 'message') !== undefined && [...node.members.keys()].every((key) => key === 'code' || key === 'message' || key === 'data');
}

function looksLikeCallResult(node: JsonNode | undefined): boolean {
  return node?.kind === 'object' && (node.members.has('content') || node.members.has('structuredContent') || node.members.has('isError'));
}

/** The MCP session a cassette, interaction or wrapper names, if any. */
function sessionIn(node: JsonNode | undefined): string | undefined {
  for (const key of SESSION_KEYS) {
    const value = stringAt(node, key);
    if (value !== undefined && value !== '') return value;
  }
  for (const key of HEADER_KEYS) {
    const headers = objectAt(node, key);
    if (headers === undefined) continue;
    for (const [name, value] of headers.members) {
      if (name.toLowerCase() === 'mcp-session-id' && value.kind === 'string' && value.value !== '') return value.value;
    }
  }
  return undefined;
}

class McpReader {
  private origin!: RecordOrigin;
  private readonly sessions = new Map<string, SessionState>();
  /** Calls waiting for their result, to amend with the server a result names. */
  private readonly calls = new Map<string, ToolCallDraft>();
  private readonly notedMethods = new Set<string>();

  constructor(private readonly out: TraceBuilder) {}

  read(root: JsonNode, origin: RecordOrigin): void {
    this.origin = origin;
    const context: Context = { session: undefined, time: undefined };
    if (root.kind === 'object' && !isMessage(root)) {
      if (arrayAt(root, 'interactions') !== undefined) return this.cassette(root);
      if (!WRAPPED.some((key) => member(root, key)?.kind === 'object' || member(root, key)?.kind === 'array') && this.fragment(root)) return;
    }
    this.entry(root, '$', context, 0);
  }

  private at(node: JsonNode, path: string): SourceLocation {
    return this.origin.locate(node, path);
  }

  private state(session: string | undefined): SessionState {
    const key = session ?? '';
    let state = this.sessions.get(key);
    if (state === undefined) {
      state = { requests: new Map() };
      this.sessions.set(key, state);
    }
    return state;
  }

  /** A message, a batch of them, or a wrapper record. */
  private entry(node: JsonNode, path: string, context: Context, depth: number): void {
    if (node.kind === 'array' && depth < 2) {
      node.items.forEach((item, index) => this.entry(item, pathIndex(path, index), context, depth + 1));
    } else if (node.kind === 'object' && isMessage(node)) this.message(node, path, context);
    else if (node.kind === 'object' && WRAPPED.some((key) => member(node, key) !== undefined)) this.wrapper(node, path, context, depth);
    else this.out.skip('wrongType', `expected a JSON-RPC message, found ${describeShape(node)}; skipped`, this.at(node, path));
  }

  /** The spec's bare fragments (no JSON-RPC envelope); false when the value is none of them. */
  private fragment(node: JsonObject): boolean {
    const at = this.at(node, '$');
    if (isToolDefinition(node)) {
      this.out.tools([this.out.plain(node, at)]);
      return true;
    }
    if (arrayAt(node, 'tools') !== undefined) {
      this.toolList(node, '$');
      return true;
    }
    const kind = isErrorObject(node) ? 'an error object' : looksLikeCallResult(node) ? 'a tool result' : undefined;
    if (kind === undefined) return false;
    this.out.skip('orphanResult', `${kind} without a JSON-RPC envelope has no \`id\` to pair it with a call; skipped`, at);
    return true;
  }

  private cassette(root: JsonObject): void {
    const metadata = objectAt(root, 'metadata');
    const session = sessionIn(metadata);
    const server = stringAt(objectAt(metadata, 'server_info'), 'name');
    if (server !== undefined) this.state(session).server = server;
    let clock = this.time(member(metadata, 'recorded_at'), '$.metadata.recorded_at');
    const interactions = arrayAt(root, 'interactions') ?? [];
    interactions.forEach((interaction, index) => {
      const path = pathIndex('$.interactions', index);
      if (interaction.kind !== 'object') {
        this.out.skip('wrongType', `an interaction should be an object, found ${describeJsonKind(interaction)}; skipped`, this.at(interaction, path));
        return;
      }
      const context: Context = { session: sessionIn(interaction) ?? session, time: clock };
      for (const key of ['request', 'response']) {
        const part = member(interaction, key);
        if (part !== undefined && part.kind !== 'null') this.entry(part, pathKey(path, key), context, 1);
      }
      const latency = numberAt(interaction, 'latency_ms');
      if (clock !== undefined && latency !== undefined && latency >= 0) clock += latency;
    });
  }

  private wrapper(node: JsonObject, path: string, outer: Context, depth: number): void {
    const timeKey = TIME_KEYS.find((key) => member(node, key) !== undefined);
    const time = timeKey === undefined ? outer.time : this.time(member(node, timeKey), pathKey(path, timeKey));
    const context: Context = { session: sessionIn(node) ?? outer.session, time };
    for (const key of WRAPPED) {
      const inner = member(node, key);
      if (inner?.kind === 'object' || inner?.kind === 'array') this.entry(inner, pathKey(path, key), context, depth + 1);
    }
  }

  /** A wrapper's timestamp: ISO 8601 with a zone, or epoch milliseconds (or seconds). */
  private time(node: JsonNode | undefined, path: string): number | undefined {
    if (node === undefined || node.kind === 'null') return undefined;
    let time: number | undefined;
    if (node.kind === 'string') time = isoToMs(node.value);
    else if (node.kind === 'number') time = Math.abs(node.value) >= 1e11 ? node.value : secondsToMs(node.value);
    if (time !== undefined && Number.isFinite(time) && Math.abs(time) <= MAX_TIME_MS) return time;
    const shown = node.kind === 'string' ? `\`${node.value}\`` : describeJsonKind(node);
    this.out.diagnostic('invalidTime', `the timestamp ${shown} is not an ISO 8601 time with a zone or epoch milliseconds; ignored`, this.at(node, path));
    return undefined;
  }

  private message(node: JsonObject, path: string, context: Context): void {
    const method = member(node, 'method');
    if (method !== undefined) this.request(node, method, path, context);
    else if (node.members.has('result') || node.members.has('error')) this.response(node, path, context);
    else this.out.skip('missingField', 'a JSON-RPC message needs `method` (a request) or `result` or `error` (a response); skipped', this.at(node, path));
  }

  /** A JSON-RPC id as text; numbers and strings both occur. */
  private id(node: JsonObject, path: string): string | undefined {
    const id = member(node, 'id');
    if (id?.kind === 'string') return id.value;
    if (id?.kind === 'number') return String(id.value);
    if (id !== undefined && id.kind !== 'null') this.out.diagnostic('wrongType', `\`id\` should be a string or a number, found ${describeJsonKind(id)}; ignored`, this.at(id, pathKey(path, 'id')));
    return undefined;
  }

  private request(node: JsonObject, method: JsonNode, path: string, context: Context): void {
    if (method.kind !== 'string') {
      this.out.skip('wrongType', `\`method\` should be a string, found ${describeJsonKind(method)}; skipped`, this.at(method, pathKey(path, 'method')));
      return;
    }
    const id = this.id(node, path);
    const state = this.state(context.session);
    if (id !== undefined) state.requests.set(id, method.value);
    if (method.value === 'tools/call') this.toolCall(node, id, path, context, state);
    else if (method.value === 'initialize') state.agent = stringAt(objectAt(objectAt(node, 'params'), 'clientInfo'), 'name') ?? state.agent;
    else if (!QUIET_METHODS.has(method.value) && !method.value.startsWith('notifications/') && !this.notedMethods.has(method.value)) {
      this.notedMethods.add(method.value);
      this.out.diagnostic('unknownRecord', `\`${method.value}\` requests are not tool calls; they are skipped (noted once)`, this.at(node, path));
    }
  }

  private toolCall(node: JsonObject, id: string | undefined, path: string, context: Context, state: SessionState): void {
    const paramsPath = pathKey(path, 'params');
    const params = member(node, 'params');
    if (params?.kind !== 'object') {
      const problem = params ? `\`params\` should be an object, found ${describeJsonKind(params)}` : 'a `tools/call` request needs `params`';
      this.out.skip(params ? 'wrongType' : 'missingField', `${problem}; the call is skipped`, this.at(params ?? node, params ? paramsPath : path));
      return;
    }
    const name = member(params, 'name');
    if (name?.kind !== 'string' || name.value === '') {
      const problem = name ? `\`params.name\` should be a tool name, found ${describeJsonKind(name)}` : 'missing `params.name`';
      this.out.skip(name ? 'wrongType' : 'missingField', `${problem}; the call is skipped`, this.at(name ?? params, name ? pathKey(paramsPath, 'name') : paramsPath));
      return;
    }
    const { args, argsRaw } = this.args(member(params, 'arguments'), pathKey(paramsPath, 'arguments'));
    const agent = stringAt(objectAt(objectAt(params, '_meta'), CLIENT_INFO), 'name') ?? state.agent;
    const source = this.at(node, path);
    if (id === undefined) this.out.diagnostic('missingField', 'a `tools/call` request without `id` cannot be paired with its result; the call is kept without one', source);
    const draft = this.out.toolCall({ session: context.session, agent, tool: name.value, args, argsRaw, callId: id, server: state.server, time: context.time, source, awaitsResult: id !== undefined });
    if (id !== undefined) this.calls.set(callKey(context.session, id), draft);
  }

  private args(node: JsonNode | undefined, path: string): { args: Record<string, unknown>; argsRaw?: string } {
    if (node === undefined || node.kind === 'null') return { args: {} };
    const at = this.at(node, path);
    if (node.kind === 'object') return { args: this.out.plain(node, at) as Record<string, unknown> };
    if (node.kind === 'string') return this.out.argumentsFromText(node.value, at);
    // An array or a scalar: the builder reports it (GH4112) and keeps its JSON text.
    return this.out.argumentsFromText(JSON.stringify(this.out.plain(node, at)), at);
  }

  private response(node: JsonObject, path: string, context: Context): void {
    const id = this.id(node, path);
    const state = this.state(context.session);
    const method = id === undefined ? undefined : state.requests.get(id);
    if (id !== undefined) state.requests.delete(id);
    const result = member(node, 'result');
    const error = member(node, 'error');
    if (method === 'tools/list' || (method === undefined && arrayAt(result, 'tools') !== undefined)) {
      if (result !== undefined) this.toolList(result, pathKey(path, 'result'));
      return;
    }
    if (method === 'initialize' || (method === undefined && objectAt(result, 'serverInfo') !== undefined)) {
      state.server = stringAt(objectAt(result, 'serverInfo'), 'name') ?? state.server;
      return;
    }
    // The answer to another request, or a result whose request is not in the file and is no tool result.
    if (method !== undefined ? method !== 'tools/call' : error === undefined && !looksLikeCallResult(result)) return;
    if (id === undefined) {
      this.out.skip('orphanResult', `a ${error ? 'JSON-RPC error' : 'tool result'} without an \`id\` cannot be paired with a call; skipped`, this.at(node, path));
      return;
    }
    const outcome = error !== undefined ? { error: this.errorText(error, pathKey(path, 'error')) } : this.callResult(result!, pathKey(path, 'result'));
    if (outcome === 'interim') return;
    const key = callKey(context.session, id);
    const paired = this.out.result({ session: context.session, callId: id, result: outcome.result, error: outcome.error, source: this.at(node, path) });
    const draft = this.calls.get(key);
    this.calls.delete(key);
    const server = stringAt(objectAt(objectAt(result, '_meta'), SERVER_INFO), 'name');
    if (paired && draft !== undefined && draft.server === undefined && server !== undefined) draft.server = server;
  }

  /** A JSON-RPC error object as `code: message`. */
  private errorText(error: JsonNode, path: string): string {
    const code = numberAt(error, 'code');
    const message = stringAt(error, 'message');
    if (error.kind !== 'object' || (code === undefined && message === undefined)) {
      this.out.diagnostic('wrongType', `\`error\` should be an object with \`code\` and \`message\`, found ${describeShape(error)}; kept as text`, this.at(error, path));
      return JSON.stringify(this.out.plain(error, this.at(error, path)));
    }
    if (code === undefined) return message!;
    return message === undefined ? `error ${code}` : `${code}: ${message}`;
  }

  /** A `CallToolResult` → the call's result or error. */
  private callResult(result: JsonNode, path: string): CallOutcome {
    const at = this.at(result, path);
    if (result.kind !== 'object') {
      this.out.diagnostic('wrongType', `a tool result should be an object with \`content\`, found ${describeJsonKind(result)}; kept as recorded`, at);
      return { result: this.out.plain(result, at) };
    }
    if (stringAt(result, 'resultType') === 'input_required') return 'interim';
    const content = member(result, 'content');
    const text = contentText(content);
    if (booleanAt(result, 'isError') === true) return { error: text ?? 'the tool reported an error' };
    const structured = member(result, 'structuredContent');
    if (structured !== undefined && structured.kind !== 'null') return { result: this.out.plain(structured, this.at(structured, pathKey(path, 'structuredContent'))) };
    if (text !== undefined) return { result: text };
    if (content?.kind === 'array' && content.items.length > 0) return { result: this.out.plain(content, this.at(content, pathKey(path, 'content'))) };
    return {};
  }

  private toolList(result: JsonNode, path: string): void {
    const tools = member(result, 'tools');
    if (tools?.kind !== 'array') {
      this.out.diagnostic('wrongType', `\`tools\` should be an array, found ${tools ? describeJsonKind(tools) : 'nothing'}; ignored`, this.at(tools ?? result, pathKey(path, 'tools')));
      return;
    }
    const definitions: unknown[] = [];
    tools.items.forEach((tool, index) => {
      const at = this.at(tool, pathIndex(pathKey(path, 'tools'), index));
      if (tool.kind === 'object') definitions.push(this.out.plain(tool, at));
      else this.out.skip('wrongType', `a tool definition should be an object, found ${describeJsonKind(tool)}; skipped`, at);
    });
    this.out.tools(definitions);
  }
}

/** The text of a result's `text` blocks and embedded text resources, joined by newlines. */
function contentText(content: JsonNode | undefined): string | undefined {
  if (content?.kind !== 'array') return undefined;
  const pieces: string[] = [];
  for (const block of content.items) {
    const type = stringAt(block, 'type');
    const text = type === 'text' ? stringAt(block, 'text') : type === 'resource' ? stringAt(objectAt(block, 'resource'), 'text') : undefined;
    if (text !== undefined) pieces.push(text);
  }
  return pieces.length > 0 ? pieces.join('\n') : undefined;
}

function callKey(session: string | undefined, id: string): string {
  return `${session ?? ''}\u0000${id}`;
}

// Claude Managed Agents session recordings → normalized events. The recording is JSON Lines of
// SDK calls, each line `[sdk_method, payload]`:
//
//   ["client.beta.sessions.create", {type: "session", id: "sesn_…", agent: {name, tools, …}}]
//   ["client.beta.sessions.events.send", ["sesn_…", {events: [{type: "user.message", …}]}]]
//   ["client.beta.sessions.events.stream", {type: "agent.mcp_tool_use", id: "sevt_…", processed_at, …}]
//
// Lines that are bare events or session objects (no wrapper) are read the same way.
// - The session object's `id` → session (until the next one, or a send naming another); its
//   agent's `name` → agent; its agent's named tools (`custom` tools) → tool definitions.
// - `agent.tool_use`, `agent.mcp_tool_use` (`mcp_server_name` → server) and
//   `agent.custom_tool_use` → tool calls: event `id` → call id, `name` → tool, `input` → args.
//   `evaluated_permission` `allow`/`deny` → the recorded outcome; `ask` waits for the user.
// - `user.tool_confirmation` (`tool_use_id`, `result` `allow`/`deny`) → the call's outcome
//   `allowed`/`denied`. A denied call that gets no result gets its `deny_message` as error.
// - `agent.tool_result`, `agent.mcp_tool_result`, `user.custom_tool_result` → the result of the
//   call named by `tool_use_id`, `mcp_tool_use_id` or `custom_tool_use_id`; `is_error: true` → the
//   error. Results are kept as text: the text of `text` blocks and text `document`s.
// - `user.message` → user message, `agent.message` → agent message; `processed_at` → time.
//   Status, span and thinking events carry no action and are skipped silently.
// - The stream echoes what the client sent. A sent event is held until its echo, which replaces
//   it (the echo has an id and a time). One still unechoed when the agent next acts (or at the
//   end) is read then, without a time, and a late echo of it is dropped.

import type { JsonNode, JsonObject } from '../../../language/catalog/jsonTree';
import type { RecordedOutcome, SourceLocation, ToolCallEvent } from '../../event';
import type { TraceBuilder } from '../builder';
import { describeJsonKind, member, stringAt } from '../json';
import { isoToMs } from '../time';
import type { RecordOrigin, RecordReader, TraceImporter } from '../types';
import { contentText, NO_ERROR_TEXT } from './anthropicMessages';

const CALLS: ReadonlySet<string> = new Set(['agent.tool_use', 'agent.mcp_tool_use', 'agent.custom_tool_use']);
/** Result event type → the field naming its call. */
const RESULTS: ReadonlyMap<string, string> = new Map([
  ['agent.tool_result', 'tool_use_id'],
  ['agent.mcp_tool_result', 'mcp_tool_use_id'],
  ['user.custom_tool_result', 'custom_tool_use_id'],
]);
const EVENT_TYPE = /^(agent|user|session|span)\.[a-z_]+$/;
const QUIET_PREFIXES = ['session.', 'span.', 'agent.thinking', 'agent.thread_', 'user.interrupt'];

type Draft = { -readonly [K in keyof ToolCallEvent]: ToolCallEvent[K] };

export const anthropicManagedImporter: TraceImporter = {
  format: 'anthropic-managed',
  label: 'Claude Managed Agents session events',
  detect(sample) {
    if (sample.kind === 'array') {
      const method = sample.items[0];
      if (sample.items.length === 2 && method?.kind === 'string' && /(^|\.)sessions\./.test(method.value)) {
        return { confidence: 0.95, reason: `a \`[sdk_method, payload]\` pair calling \`${method.value}\`` };
      }
      return undefined;
    }
    const type = stringAt(sample, 'type');
    if (type === 'session' && stringAt(sample, 'id')?.startsWith('sesn_')) return { confidence: 0.9, reason: 'a session object (`type` `session`, `id` `sesn_…`)' };
    if (type !== undefined && EVENT_TYPE.test(type) && (stringAt(sample, 'id')?.startsWith('sevt_') || member(sample, 'processed_at') !== undefined)) {
      return { confidence: 0.85, reason: `a session event (\`type\` \`${type}\` with \`processed_at\`)` };
    }
    return undefined;
  },
  start(out): RecordReader {
    const reader = new ManagedReader(out);
    return { read: (value, origin) => reader.read(value, origin), finish: () => reader.finish() };
  },
};

interface Sent {
  readonly event: JsonObject;
  readonly path: string;
  readonly origin: RecordOrigin;
  readonly session: string | undefined;
  readonly echo: string;
}

class ManagedReader {
  private session: string | undefined;
  private agent: string | undefined;
  /** Every call by session and id, for confirmations that arrive after it. */
  private readonly calls = new Map<string, Draft>();
  private readonly denied = new Map<string, { draft: Draft; message: string | undefined; source: SourceLocation }>();
  /** Sent events awaiting their echo in the stream. */
  private sent: Sent[] = [];
  /** Echo keys of sent events read without their echo, so a late echo is not read twice. */
  private readonly flushed = new Set<string>();
  private readonly unknown = new Set<string>();

  constructor(private readonly out: TraceBuilder) {}

  read(root: JsonNode, origin: RecordOrigin): void {
    if (root.kind === 'object') {
      this.streamed(root, '$', origin);
      return;
    }
    const method = root.kind === 'array' ? root.items[0] : undefined;
    const payload = root.kind === 'array' ? root.items[1] : undefined;
    if (method?.kind !== 'string' || payload === undefined) {
      this.out.skip('wrongType', `expected \`[sdk_method, payload]\` or an event object, found ${describeJsonKind(root)}`, origin.locate(root, '$'));
      return;
    }
    const name = method.value;
    if (/sessions\.(create|retrieve|update)$/.test(name)) this.sessionObject(payload, '$[1]', origin);
    else if (name.endsWith('sessions.events.send')) this.send(payload, origin);
    else if (/sessions\.events\.(stream|list)$/.test(name)) this.streamedPayload(payload, origin);
    else this.ignore(name, `the SDK call \`${name}\``, origin.locate(method, '$[0]'));
  }

  /** Notes a record type once per file (GH4114), then skips it silently. */
  private ignore(key: string, what: string, at: SourceLocation): void {
    if (this.unknown.has(key)) return;
    this.unknown.add(key);
    this.out.diagnostic('unknownRecord', `${what} is not read; records of this type are skipped`, at);
  }

  private sessionObject(node: JsonNode, path: string, origin: RecordOrigin): void {
    const id = stringAt(node, 'id');
    if (id === undefined) {
      this.out.skip('missingField', 'a session object needs `id` (a string)', origin.locate(node, path));
      return;
    }
    this.session = id;
    const agent = member(node, 'agent');
    this.agent = stringAt(agent, 'name') ?? stringAt(agent, 'id') ?? this.agent;
    const tools = member(agent, 'tools');
    if (tools?.kind !== 'array') return;
    const named = tools.items.flatMap((tool, index) => (stringAt(tool, 'name') === undefined ? [] : [this.out.plain(tool, origin.locate(tool, `${path}.agent.tools[${index}]`))]));
    if (named.length > 0) this.out.tools(named);
  }

  /** `events.send`: positional `[session_id, {events}]`, or `{session_id?, events}`. */
  private send(payload: JsonNode, origin: RecordOrigin): void {
    const args = payload.kind === 'array' ? payload.items : [undefined, payload];
    const sessionNode = args[0];
    const params = args[1];
    const base = payload.kind === 'array' ? '$[1][1]' : '$[1]';
    const session = sessionNode?.kind === 'string' ? sessionNode.value : (stringAt(params, 'session_id') ?? this.session);
    if (session !== undefined) this.session = session;
    const events = member(params, 'events');
    if (events?.kind !== 'array') {
      this.out.skip(events ? 'wrongType' : 'missingField', `a sent batch needs \`events\` (an array)${events ? `, found ${describeJsonKind(events)}` : ''}`, origin.locate(events ?? payload, `${base}.events`));
      return;
    }
    events.items.forEach((event, index) => {
      const path = `${base}.events[${index}]`;
      if (event.kind !== 'object') this.out.skip('wrongType', `an event should be an object, found ${describeJsonKind(event)}`, origin.locate(event, path));
      else this.sent.push({ event, path, origin, session, echo: echoKey(session, event) });
    });
  }

  private streamedPayload(payload: JsonNode, origin: RecordOrigin): void {
    const page = member(payload, 'data');
    if (page?.kind === 'array') page.items.forEach((event, index) => this.streamed(event, `$[1].data[${index}]`, origin));
    else this.streamed(payload, '$[1]', origin);
  }

  private streamed(node: JsonNode, path: string, origin: RecordOrigin): void {
    if (node.kind !== 'object') {
      this.out.skip('wrongType', `an event should be an object, found ${describeJsonKind(node)}`, origin.locate(node, path));
      return;
    }
    if (stringAt(node, 'type') === 'session') {
      this.sessionObject(node, path, origin);
      return;
    }
    const type = stringAt(node, 'type') ?? '';
    if (type.startsWith('user.')) {
      const echo = echoKey(this.session, node);
      const waiting = this.sent.findIndex((sent) => sent.echo === echo);
      if (waiting >= 0) this.sent.splice(waiting, 1);
      else if (this.flushed.delete(echo)) return; // its sent copy was read already
    } else if (type.startsWith('agent.')) this.flushSent();
    this.event(node, path, origin, this.session, this.timeOf(node, path, origin));
  }

  /**
   * The agent acts only after the server took in what was sent, so sent events still waiting
   * when the agent acts were not echoed (or not yet): they are read now, without a time.
   */
  private flushSent(): void {
    const sent = this.sent;
    this.sent = [];
    for (const { event, path, origin, session, echo } of sent) {
      this.flushed.add(echo);
      this.event(event, path, origin, session, undefined);
    }
  }

  private timeOf(node: JsonObject, path: string, origin: RecordOrigin): number | undefined {
    const stamp = member(node, 'processed_at');
    if (stamp === undefined || stamp.kind === 'null') return undefined;
    const time = stamp.kind === 'string' ? isoToMs(stamp.value) : undefined;
    if (time === undefined) this.out.diagnostic('invalidTime', `\`processed_at\` should be an ISO 8601 time with a zone, found ${stamp.kind === 'string' ? `\`${stamp.value}\`` : describeJsonKind(stamp)}`, origin.locate(stamp, `${path}.processed_at`));
    return time;
  }

  private event(node: JsonObject, path: string, origin: RecordOrigin, session: string | undefined, time: number | undefined): void {
    const typeNode = member(node, 'type');
    if (typeNode?.kind !== 'string') {
      this.out.skip(typeNode ? 'wrongType' : 'missingField', `an event needs \`type\` (a string)${typeNode ? `, found ${describeJsonKind(typeNode)}` : ''}`, origin.locate(typeNode ?? node, `${path}.type`));
      return;
    }
    const type = typeNode.value;
    const source = origin.locate(node, path);
    if (type === 'user.message' || type === 'agent.message') {
      const text = textOf(member(node, 'content'));
      if (text.trim() === '') return;
      if (type === 'user.message') this.out.userMessage({ session, time, text, source });
      else this.out.agentMessage({ session, time, text, source });
    } else if (CALLS.has(type)) this.call(node, type, path, origin, session, time);
    else if (RESULTS.has(type)) this.result(node, RESULTS.get(type)!, path, origin, session);
    else if (type === 'user.tool_confirmation') this.confirmation(node, path, origin, session);
    else if (!QUIET_PREFIXES.some((prefix) => type.startsWith(prefix))) this.ignore(type, `the event type \`${type}\``, source);
  }

  private call(node: JsonObject, type: string, path: string, origin: RecordOrigin, session: string | undefined, time: number | undefined): void {
    const name = member(node, 'name');
    if (name?.kind !== 'string' || name.value === '') {
      this.out.skip(name ? 'wrongType' : 'missingField', `\`${type}\` needs \`name\` (a tool name)${name ? `, found ${describeJsonKind(name)}` : ''}; the call is skipped`, origin.locate(name ?? node, `${path}.name`));
      return;
    }
    const id = stringAt(node, 'id');
    if (id === undefined) this.out.diagnostic('missingField', `\`${type}\` needs \`id\` (a string); its result cannot be paired`, origin.locate(node, `${path}.id`));
    const input = member(node, 'input');
    let args: Record<string, unknown> = {};
    let argsRaw: string | undefined;
    if (input?.kind === 'object') args = this.out.plain(input, origin.locate(input, `${path}.input`)) as Record<string, unknown>;
    else if (input?.kind === 'string') ({ args, argsRaw } = this.out.argumentsFromText(input.value, origin.locate(input, `${path}.input`)));
    else if (input !== undefined && input.kind !== 'null') {
      this.out.diagnostic('invalidArguments', `\`input\` should be an object, found ${describeJsonKind(input)}; it is kept raw and conditions on it see no arguments`, origin.locate(input, `${path}.input`));
      argsRaw = JSON.stringify(this.out.plain(input, origin.locate(input, `${path}.input`)));
    }
    const permission = stringAt(node, 'evaluated_permission');
    const outcome: RecordedOutcome | undefined = permission === 'allow' ? 'allowed' : permission === 'deny' ? 'denied' : undefined;
    const server = type === 'agent.mcp_tool_use' ? stringAt(node, 'mcp_server_name') : undefined;
    const draft = this.out.toolCall({ session, agent: this.agent, time, tool: name.value, args, argsRaw, callId: id, server, outcome, source: origin.locate(node, path), awaitsResult: id !== undefined });
    if (id !== undefined) this.calls.set(callKey(session, id), draft);
  }

  private result(node: JsonObject, field: string, path: string, origin: RecordOrigin, session: string | undefined): void {
    const callId = stringAt(node, field);
    if (callId === undefined) {
      this.out.skip('missingField', `a result needs \`${field}\` (a string) to pair it with its call; skipped`, origin.locate(node, `${path}.${field}`));
      return;
    }
    const text = textOf(member(node, 'content'));
    const isError = member(node, 'is_error');
    if (isError !== undefined && isError.kind !== 'boolean' && isError.kind !== 'null') this.out.diagnostic('wrongType', `\`is_error\` should be a boolean, found ${describeJsonKind(isError)}; the result is read as a success`, origin.locate(isError, `${path}.is_error`));
    const source = origin.locate(node, path);
    if (isError?.kind === 'boolean' && isError.value) this.out.result({ session, callId, error: text !== '' ? text : NO_ERROR_TEXT, source });
    else this.out.result({ session, callId, result: text, source });
  }

  private confirmation(node: JsonObject, path: string, origin: RecordOrigin, session: string | undefined): void {
    const callId = stringAt(node, 'tool_use_id');
    const verdict = stringAt(node, 'result');
    const source = origin.locate(node, path);
    const draft = callId === undefined ? undefined : this.calls.get(callKey(session, callId));
    if (callId === undefined || (verdict !== 'allow' && verdict !== 'deny')) {
      this.out.skip(callId === undefined ? 'missingField' : 'wrongType', 'a tool confirmation needs `tool_use_id` and `result` `allow` or `deny`; skipped', source);
    } else if (draft === undefined) {
      this.out.skip('orphanResult', `a tool confirmation for call id \`${callId}\`, which no earlier call in this session has`, source);
    } else {
      draft.outcome = verdict === 'allow' ? 'allowed' : 'denied';
      if (verdict === 'deny') this.denied.set(callKey(session, callId), { draft, message: stringAt(node, 'deny_message'), source });
    }
  }

  finish(): void {
    this.flushSent(); // sent events the stream never echoed
    // A denied call never runs: when no result came, the denial is its error, not a gap.
    for (const { draft, message, source } of this.denied.values()) {
      if (draft.callId !== undefined && this.out.awaits(draft.callId, draft.session)) {
        this.out.result({ session: draft.session, callId: draft.callId, error: message ?? 'the user denied the call', outcome: 'denied', source });
      }
    }
  }
}

/** The text of an event's `content` (blocks or a string); empty when it has none. */
function textOf(content: JsonNode | undefined): string {
  return content === undefined ? '' : (contentText(content) ?? '');
}

function callKey(session: string | undefined, id: string): string {
  return `${session ?? ''}\u0000${id}`;
}

/** What a sent event and its echo in the stream share: type, session, call pointed to, verdict, text. */
function echoKey(session: string | undefined, event: JsonObject): string {
  const pointer = stringAt(event, 'tool_use_id') ?? stringAt(event, 'custom_tool_use_id') ?? '';
  const text = textOf(member(event, 'content'));
  return JSON.stringify([session ?? '', stringAt(event, 'type') ?? '', pointer, stringAt(event, 'result') ?? '', text]);
}

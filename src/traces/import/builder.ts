// Where importers write what they read. The builder numbers events per session, gives events
// without a recorded time one from their neighbours, pairs results with calls by id (per
// session), flags calls whose result never came, and collects diagnostics and skip counts, so
// every importer reports the same way.

import type { JsonNode } from '../../language/catalog/jsonTree';
import type { AgentMessageEvent, RecordedOutcome, SourceLocation, ToolCallEvent, TraceEvent, UserMessageEvent } from '../event';
import { IMPORT_DIAGNOSTICS, type ImportDiagnostic, type ImportDiagnosticKind, type ImportSeverity } from './diagnostics';
import { isPlainRecord, plainValue, tryParseJson } from './json';
import { SYNTHETIC_BASE_TIME, SYNTHETIC_INTERVAL_MS } from './time';
import type { ImportOptions, ImportStats, SessionSummary } from './types';

export interface ToolCallInput {
  /** Defaults to the file (or the `session` option, which always wins). */
  readonly session?: string;
  /** Defaults to `agent` (or the `agent` option, which always wins). */
  readonly agent?: string;
  readonly onBehalfOf?: string;
  readonly tool: string;
  readonly args?: Readonly<Record<string, unknown>>;
  readonly argsRaw?: string;
  readonly result?: unknown;
  readonly error?: string;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly callId?: string;
  readonly server?: string;
  readonly outcome?: RecordedOutcome;
  /** Epoch ms; omitted when the trace does not record it. */
  readonly time?: number;
  readonly source: SourceLocation;
  /**
   * Whether a result will follow as a separate record, paired by `callId`. Defaults to true when
   * the call has an id and neither a result nor an error.
   */
  readonly awaitsResult?: boolean;
}

export interface ResultInput {
  readonly session?: string;
  readonly callId: string;
  readonly result?: unknown;
  readonly error?: string;
  readonly outcome?: RecordedOutcome;
  readonly source: SourceLocation;
}

export interface MessageInput {
  readonly session?: string;
  readonly text: string;
  readonly time?: number;
  readonly source: SourceLocation;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Draft = Mutable<ToolCallEvent>;

interface SessionState {
  seq: number;
  lastTime: number | undefined;
  timed: number;
  untimed: number;
  /** Its summary, once an event of it is handed over. */
  summary: Mutable<SessionSummary> | undefined;
}

/** The default agent id when neither the trace nor the options name one. */
export const DEFAULT_AGENT = 'agent';

export class TraceBuilder {
  readonly file: string;
  /**
   * The events not handed over yet: every event, or with `onEvent`, the events from the first
   * call (which its importer may amend until `finish`) on.
   */
  private events: TraceEvent[] = [];
  private readonly onEvent: ((event: TraceEvent) => void) | undefined;
  /** Session summaries in the order their first events were handed over. */
  private readonly summaries: Mutable<SessionSummary>[] = [];
  private toolCallCount = 0;
  private errorCount = 0;
  private readonly diagnostics: ImportDiagnostic[] = [];
  private readonly sessions = new Map<string, SessionState>();
  /** Calls awaiting a result, by session and call id. */
  private readonly pending = new Map<string, Draft>();
  /** Every call that awaited a result, to flag the ones never answered. */
  private readonly awaiting: Draft[] = [];
  private readonly answered = new Set<Draft>();
  private readonly skippedByCode: Record<string, number> = {};
  private skipped = 0;
  private readonly toolDefinitions: unknown[] = [];

  constructor(private readonly options: ImportOptions) {
    this.file = options.file;
    this.onEvent = options.onEvent;
  }

  /** A final event of the session with this state: handed over at once when streaming and nothing before it is held. */
  private add(event: TraceEvent, state: SessionState): void {
    if (this.onEvent !== undefined && this.events.length === 0) this.deliver(event, state);
    else this.events.push(event);
  }

  /** Counts an event into its session's summary, and hands it over when streaming. */
  private deliver(event: TraceEvent, state = this.sessions.get(event.session)!): void {
    let summary = state.summary;
    if (summary === undefined) {
      summary = state.summary = { id: event.session, events: 0, toolCalls: 0, errors: 0, unpaired: 0, clock: 'recorded' }; // the clock is known at finish
      this.summaries.push(summary);
    }
    summary.events++;
    if (event.kind === 'tool_call') {
      summary.toolCalls++;
      this.toolCallCount++;
      if (event.error !== undefined) {
        summary.errors++;
        this.errorCount++;
      }
      if (event.unpaired) summary.unpaired++;
    }
    this.onEvent?.(event);
  }

  /** The session events go to when the trace names none. */
  get defaultSession(): string {
    return this.options.session ?? this.file;
  }

  private sessionOf(session: string | undefined): string {
    return this.options.session ?? (session === undefined || session === '' ? this.file : session);
  }

  private stamp(session: string, time: number | undefined): { seq: number; time: number } {
    let state = this.sessions.get(session);
    if (state === undefined) {
      state = { seq: 0, lastTime: undefined, timed: 0, untimed: 0, summary: undefined };
      this.sessions.set(session, state);
    }
    state.seq++;
    if (time === undefined) {
      state.untimed++;
      time = state.lastTime === undefined ? SYNTHETIC_BASE_TIME : state.lastTime + SYNTHETIC_INTERVAL_MS;
    } else state.timed++;
    state.lastTime = time;
    return { seq: state.seq, time };
  }

  /** Adds a tool call; returns it so the importer can amend it (mutable until `finish`). */
  toolCall(input: ToolCallInput): Draft {
    const session = this.sessionOf(input.session);
    const { seq, time } = this.stamp(session, input.time);
    const draft: Draft = {
      kind: 'tool_call',
      session,
      seq,
      time,
      source: input.source,
      agent: this.options.agent ?? (input.agent === undefined || input.agent === '' ? DEFAULT_AGENT : input.agent),
      tool: input.tool,
      args: input.args ?? {},
    };
    if (input.onBehalfOf !== undefined) draft.onBehalfOf = input.onBehalfOf;
    if (input.argsRaw !== undefined) draft.argsRaw = input.argsRaw;
    if (input.result !== undefined) draft.result = input.result;
    if (input.error !== undefined) draft.error = input.error;
    if (input.context !== undefined) draft.context = input.context;
    if (input.callId !== undefined) draft.callId = input.callId;
    if (input.server !== undefined) draft.server = input.server;
    if (input.outcome !== undefined) draft.outcome = input.outcome;
    this.events.push(draft); // held: its importer may amend it until finish

    const awaits = input.awaitsResult ?? (input.callId !== undefined && input.result === undefined && input.error === undefined);
    if (awaits && input.callId !== undefined) {
      const key = pairKey(session, input.callId);
      if (this.pending.has(key)) {
        this.diagnostic('duplicateId', `call id \`${input.callId}\` is used twice in session \`${session}\`; results pair with the later call`, input.source);
      }
      this.pending.set(key, draft);
      this.awaiting.push(draft);
    }
    return draft;
  }

  /** Pairs a result with its call. An orphan result is skipped with GH4111; returns whether it paired. */
  result(input: ResultInput): boolean {
    const session = this.sessionOf(input.session);
    const key = pairKey(session, input.callId);
    const draft = this.pending.get(key);
    if (draft === undefined) {
      this.skip('orphanResult', `a result for call id \`${input.callId}\`, which no earlier call in session \`${session}\` has`, input.source);
      return false;
    }
    this.pending.delete(key);
    this.answered.add(draft);
    if (input.result !== undefined) draft.result = input.result;
    if (input.error !== undefined) draft.error = input.error;
    if (input.outcome !== undefined) draft.outcome = input.outcome;
    return true;
  }

  /** Whether a call with this id is waiting for its result. */
  awaits(callId: string, session?: string): boolean {
    return this.pending.has(pairKey(this.sessionOf(session), callId));
  }

  userMessage(input: MessageInput): void {
    const session = this.sessionOf(input.session);
    const event: UserMessageEvent = { kind: 'user_message', session, ...this.stamp(session, input.time), source: input.source, text: input.text };
    this.add(event, this.sessions.get(session)!);
  }

  agentMessage(input: MessageInput): void {
    const session = this.sessionOf(input.session);
    const event: AgentMessageEvent = { kind: 'agent_message', session, ...this.stamp(session, input.time), source: input.source, text: input.text };
    this.add(event, this.sessions.get(session)!);
  }

  /**
   * Adds an event that is already normalized (the project's own JSON Lines). Its session and seq
   * are kept as written; the session and agent options still win.
   */
  event(event: TraceEvent): void {
    const session = this.options.session ?? event.session;
    let state = this.sessions.get(session);
    if (state === undefined) {
      state = { seq: 0, lastTime: undefined, timed: 0, untimed: 0, summary: undefined };
      this.sessions.set(session, state);
    }
    state.seq = Math.max(state.seq, event.seq);
    state.timed++;
    state.lastTime = event.time;
    let stored = event;
    if (session !== event.session) stored = { ...stored, session };
    if (this.options.agent !== undefined && stored.kind === 'tool_call' && stored.agent !== this.options.agent) stored = { ...stored, agent: this.options.agent };
    this.add(stored, state);
  }

  /** Tool definitions the trace carries (MCP tools/list, a request's `tools`). */
  tools(definitions: readonly unknown[]): void {
    this.toolDefinitions.push(...definitions);
  }

  diagnostic(kind: ImportDiagnosticKind, message: string, at: SourceLocation, severity?: ImportSeverity): void {
    const def = IMPORT_DIAGNOSTICS[kind];
    const d: Mutable<ImportDiagnostic> = { code: def.code, severity: severity ?? def.severity, message, file: at.file };
    if (at.line !== undefined) d.line = at.line;
    if (at.path !== undefined) d.path = at.path;
    this.diagnostics.push(d);
  }

  /** A diagnostic for something left out, counted in the summary's skipped records. */
  skip(kind: ImportDiagnosticKind, message: string, at: SourceLocation, severity?: ImportSeverity): void {
    this.diagnostic(kind, message, at, severity);
    this.countSkipped(kind);
  }

  /** Counts a record left out for a reason one diagnostic already gave (an unknown format). */
  countSkipped(kind: ImportDiagnosticKind): void {
    const code = IMPORT_DIAGNOSTICS[kind].code;
    this.skipped++;
    this.skippedByCode[code] = (this.skippedByCode[code] ?? 0) + 1;
  }

  /** A node's plain value; reserved keys (`__proto__`, ...) are kept as data and noted (GH4113). */
  plain(node: JsonNode, at: SourceLocation): unknown {
    let noted = false;
    return plainValue(node, at.path ?? '$', (path, key) => {
      if (noted) return;
      noted = true;
      this.diagnostic('reservedKey', `the key \`${key}\` is kept as plain data`, { ...at, path });
    });
  }

  /**
   * Tool arguments recorded as a JSON string (OpenAI, OTLP): the parsed object, or `{}` with the
   * text kept raw when it is not a JSON object (GH4112).
   */
  argumentsFromText(text: string, at: SourceLocation): { args: Record<string, unknown>; argsRaw?: string } {
    if (text.trim() === '') return { args: {} };
    const parsed = tryParseJson(text);
    if (parsed.ok && isPlainRecord(parsed.value)) {
      if (/"(?:__proto__|constructor|prototype)"\s*:/.test(text)) this.diagnostic('reservedKey', 'a reserved key in the arguments is kept as plain data', at);
      return { args: parsed.value };
    }
    const why = parsed.ok ? `a JSON ${Array.isArray(parsed.value) ? 'array' : parsed.value === null ? 'null' : typeof parsed.value}, not an object` : `not valid JSON (${parsed.message})`;
    this.diagnostic('invalidArguments', `the arguments are ${why}; they are kept raw and conditions on them see no arguments`, at);
    return { args: {}, argsRaw: text };
  }

  /** The events, sessions and counts; flags unanswered calls. Call once, after the last record. */
  finish(): { events: TraceEvent[]; sessions: SessionSummary[]; diagnostics: ImportDiagnostic[]; tools: unknown[]; stats: Omit<ImportStats, 'bytes' | 'records'> } {
    let unpaired = 0;
    for (const draft of this.awaiting) {
      if (this.answered.has(draft)) continue;
      draft.unpaired = true;
      unpaired++;
      this.diagnostic('unpairedCall', `the call \`${draft.tool}\`${draft.callId !== undefined ? ` (id \`${draft.callId}\`)` : ''} has no result in this file; it is kept and flagged \`unpaired\``, draft.source ?? { file: this.file });
    }
    // Every event is final now: the held ones are counted and handed over, in order.
    const held = this.events;
    for (let i = 0; i < held.length; i++) this.deliver(held[i]!);
    if (this.onEvent !== undefined) this.events = [];
    for (const summary of this.summaries) {
      const state = this.sessions.get(summary.id)!;
      summary.clock = state.untimed === 0 ? 'recorded' : state.timed === 0 ? 'synthetic' : 'partial';
    }
    return {
      events: this.events,
      sessions: [...this.summaries],
      diagnostics: this.diagnostics,
      tools: this.toolDefinitions,
      stats: { toolCalls: this.toolCallCount, errors: this.errorCount, unpaired, skipped: this.skipped, skippedByCode: this.skippedByCode },
    };
  }
}

function pairKey(session: string, callId: string): string {
  return `${session}\u0000${callId}`;
}

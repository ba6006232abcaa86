// The normalized events the engine decides and the importers produce. A trace is a list of
// these; besides tool calls it carries the user's requests and the agent's messages, which are
// not decided but are context (a value the user typed is trusted).

/** Where a record came from in its original file. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based line, when the format is line-based or the reader tracked it. */
  readonly line?: number;
  /** JSON path of the record inside the file, e.g. `$.messages[3].tool_calls[0]`. */
  readonly path?: string;
}

interface EventBase {
  readonly session: string;
  /** Position in the trace, increasing within a session (not necessarily dense). */
  readonly seq: number;
  /** Milliseconds since the Unix epoch (UTC). */
  readonly time: number;
  readonly source?: SourceLocation;
}

export interface ToolCallEvent extends EventBase {
  readonly kind: 'tool_call';
  readonly agent: string;
  /** The human the agent acts for, if any. */
  readonly onBehalfOf?: string;
  readonly tool: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** The recorded result: text, or JSON. Absent when the trace does not have it. */
  readonly result?: unknown;
  /** The recorded error, when the call failed. */
  readonly error?: string;
  /** Facts about the environment (`context.x` in conditions). */
  readonly context?: Readonly<Record<string, unknown>>;
  /** The call's id in the original trace, for pairing and display. */
  readonly callId?: string;
  /**
   * The arguments exactly as recorded, when they were not a JSON object (invalid JSON a model
   * wrote, a Python repr); `args` is then `{}`, and conditions on arguments see nothing.
   */
  readonly argsRaw?: string;
  /** The server that ran the tool, when the trace names it (an MCP server label). */
  readonly server?: string;
  /** What happened in production, when the trace records it: the call ran, or was blocked. */
  readonly outcome?: RecordedOutcome;
  /** The format pairs calls with results and this call's result never came. */
  readonly unpaired?: true;
}

/** A recorded production outcome: `allowed` ran (or was approved), `denied` was blocked. */
export type RecordedOutcome = 'allowed' | 'denied';

/** The user's own request: trusted input for provenance. */
export interface UserMessageEvent extends EventBase {
  readonly kind: 'user_message';
  readonly text: string;
}

/** What the agent said; context only. */
export interface AgentMessageEvent extends EventBase {
  readonly kind: 'agent_message';
  readonly text: string;
}

export type TraceEvent = ToolCallEvent | UserMessageEvent | AgentMessageEvent;

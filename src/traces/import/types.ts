// The contract between the import driver and the importers, one per format. The driver reads
// bytes or text, splits JSON Lines, parses JSON into spanned trees, detects the format and hands
// each top-level value (the whole document, or one line) to the format's reader, which writes
// events into a TraceBuilder. Importers never see bytes, never throw on bad input, and never
// build an object from input keys except through `plainValue` (no prototype is ever touched).

import type { JsonNode } from '../../language/catalog/jsonTree';
import type { SourceLocation, TraceEvent } from '../event';
import type { TraceBuilder } from './builder';
import type { ImportDiagnostic } from './diagnostics';

export const TRACE_FORMATS = [
  'jsonl',
  'agentdojo',
  'openai-chat',
  'openai-responses',
  'openai-agents',
  'anthropic',
  'anthropic-managed',
  'claude-code',
  'mcp',
  'otlp',
  'openinference',
  'langsmith',
] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** An importer's claim on a file, from its first record. */
export interface Detection {
  /** 0 to 1: 1 for a format-defining marker (a schema field, a type tag), less for shapes. */
  readonly confidence: number;
  /** What in the content made the importer say so, for the user (`suite_name` and `messages`). */
  readonly reason: string;
}

/** Where one top-level value sits in the file: a line of JSON Lines, or the whole document. */
export interface RecordOrigin {
  readonly file: string;
  /** Whether the file is JSON Lines (`lines`) or one JSON document (`document`). */
  readonly shape: 'lines' | 'document';
  /** The location of a node of this record, with its JSON path (`$` is the record itself). */
  locate(node: JsonNode, path: string): SourceLocation;
}

/** The reader of one file: gets every top-level value in order, then `finish`. */
export interface RecordReader {
  read(value: JsonNode, origin: RecordOrigin): void;
  /**
   * Optional fast path for JSON Lines: the raw text of one line (not blank). When present the
   * driver does not build a spanned tree for the line; the reader parses it itself.
   */
  readLine?(text: string, line: number, file: string): void;
  /** After the last value: emit what was held back (spans to order, runs to merge). */
  finish(): void;
}

export interface TraceImporter {
  readonly format: TraceFormat;
  /** Human name: `OpenAI Chat Completions`. */
  readonly label: string;
  /**
   * How sure the importer is that a file whose first top-level value is `sample` is its format;
   * undefined when it is not. `shape` says whether the value is one line or the whole document.
   */
  detect(sample: JsonNode, shape: 'lines' | 'document'): Detection | undefined;
  /** A reader for one file, writing into `out`. */
  start(out: TraceBuilder, options: ImportOptions): RecordReader;
}

export interface ImportProgress {
  readonly bytes: number;
  readonly records: number;
}

export interface ImportOptions {
  /** The file as the user named it; every location and the default session use it. */
  readonly file: string;
  /** A format to read the file as; `auto` (the default) detects it from the content. */
  readonly format?: TraceFormat | 'auto';
  /** Session id for every event, overriding what the trace says. */
  readonly session?: string;
  /** Agent id for every tool call, overriding what the trace says. */
  readonly agent?: string;
  /** Lines longer than this many bytes are skipped (GH4103). Default 16 MiB. */
  readonly maxLineBytes?: number;
  /** Called after each chunk of input (at most every ~1 MB for text). */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Stops the import between chunks; what was read is kept. */
  readonly signal?: AbortSignal;
  /**
   * Takes each event, in order, as soon as it is final (for JSON Lines: as its line is read; a
   * call whose result comes in a later record, once the file is read), instead of the result
   * keeping them: `events` is then empty, and memory does not grow with the file.
   */
  readonly onEvent?: (event: TraceEvent) => void;
}

export interface SessionSummary {
  readonly id: string;
  readonly events: number;
  readonly toolCalls: number;
  /** Calls the trace records as failed. */
  readonly errors: number;
  readonly unpaired: number;
  /** `recorded`: every event had a timestamp; `synthetic`: none had; `partial`: some had. */
  readonly clock: 'recorded' | 'synthetic' | 'partial';
}

export interface ImportResult {
  readonly file: string;
  /** The format read; undefined when none was recognised. */
  readonly format: TraceFormat | undefined;
  /** How the format was chosen: `requested` when the user named it. */
  readonly detection: (Detection & { readonly format: TraceFormat; readonly requested?: true }) | undefined;
  /** Every event, sessions interleaved as in the file; `seq` increases within a session. */
  readonly events: TraceEvent[];
  readonly sessions: SessionSummary[];
  readonly diagnostics: ImportDiagnostic[];
  /** Tool definitions the trace carries (MCP `tools/list`, a request's `tools`), as recorded. */
  readonly tools: unknown[];
  readonly stats: ImportStats;
  readonly cancelled: boolean;
}

export interface ImportStats {
  readonly bytes: number;
  /** Top-level values read: lines of JSON Lines, or 1 for a document. */
  readonly records: number;
  readonly toolCalls: number;
  readonly errors: number;
  readonly unpaired: number;
  /** Records or parts skipped, and why: diagnostic code → count. */
  readonly skipped: number;
  readonly skippedByCode: Readonly<Record<string, number>>;
}

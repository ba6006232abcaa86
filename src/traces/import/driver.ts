// The import driver: bytes or text in, an ImportResult out. It decides between JSON Lines (the
// first non-blank line is a JSON value by itself) and one JSON document, detects the format from
// the first value, and feeds values to the format's reader.
//
// JSON Lines are read incrementally: only the current incomplete line is buffered, and a line
// over the size limit is dropped as it streams past (GH4103), so memory stays bounded by the
// limit plus what the events themselves hold. A document is decoded into one string and parsed
// once into a spanned tree. Bytes are decoded as strict UTF-8: a bad line is skipped (GH4102),
// NUL bytes or a UTF-16 byte-order mark mark a binary file (GH4105).

import { parseJsonTree, type JsonNode } from '../../language/catalog/jsonTree';
import { createLineIndex } from '../../language/text';
import type { SourceLocation } from '../event';
import { TraceBuilder } from './builder';
import { describeShape } from './json';
import type { Detection, ImportOptions, ImportResult, RecordOrigin, RecordReader, TraceFormat, TraceImporter } from './types';

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
/** How much of the start is looked at for NUL bytes. */
const BINARY_SNIFF = 8192;
/** Text input is processed in slices of this many characters between progress reports. */
const TEXT_SLICE = 1 << 20;

type Mode = 'sniff' | 'lines' | 'document' | 'rejected';

export interface Detected extends Detection {
  readonly format: TraceFormat;
}

/** Every importer's claim on a sample, best first (ties keep registry order). */
export function rankFormats(sample: JsonNode, shape: 'lines' | 'document', importers: readonly TraceImporter[]): Detected[] {
  const claims: Detected[] = [];
  for (const importer of importers) {
    let detection: Detection | undefined;
    try {
      detection = importer.detect(sample, shape);
    } catch {
      detection = undefined; // a detector that throws makes no claim
    }
    if (detection !== undefined && detection.confidence > 0) claims.push({ format: importer.format, ...detection });
  }
  return claims.sort((a, b) => b.confidence - a.confidence);
}

/**
 * One import in progress. Feed it with `pushBytes` or `pushText` (not both), then call `end`.
 * Never throws on bad input.
 */
export class TraceImport {
  private readonly out: TraceBuilder;
  private readonly maxLine: number;
  private mode: Mode = 'sniff';
  private bytesRead = 0;
  private records = 0;
  private line = 0;
  private sawContent = false;
  private cancelled = false;
  private detection: ImportResult['detection'];
  private reader: RecordReader | undefined;
  private importer: TraceImporter | undefined;

  // Sniffing and JSON Lines: the incomplete line so far.
  private pendingText = '';
  private pendingBytes: Uint8Array[] = [];
  private pendingByteLength = 0;
  /** The current line went over the limit; its bytes are being dropped until its newline. */
  private dropping = false;
  /** An over-long first line, until what follows says whether it is a document or a line. */
  private heldFirst: string | undefined;
  private heldBlank = 0;
  // Documents: the text so far.
  private documentParts: string[] = [];
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private documentDecodeFailed = false;
  private inputKind: 'bytes' | 'text' | undefined;

  constructor(
    private readonly options: ImportOptions,
    private readonly importers: readonly TraceImporter[],
  ) {
    this.out = new TraceBuilder(options);
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  private at(line?: number, path?: string): SourceLocation {
    const location: { file: string; line?: number; path?: string } = { file: this.options.file };
    if (line !== undefined) location.line = line;
    if (path !== undefined) location.path = path;
    return location;
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  get bytes(): number {
    return this.bytesRead;
  }

  get recordsRead(): number {
    return this.records;
  }

  /** Stops reading; what was read is kept. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.out.diagnostic('cancelled', `the import was cancelled after ${this.records} records (${this.bytesRead} bytes)`, this.at(this.line || undefined));
  }

  pushBytes(chunk: Uint8Array): void {
    if (this.cancelled || this.mode === 'rejected') return;
    this.inputKind = 'bytes';
    this.bytesRead += chunk.length;
    if (this.mode === 'sniff' && this.bytesRead - chunk.length < BINARY_SNIFF && looksBinary(chunk, this.bytesRead - chunk.length === 0)) {
      this.reject();
      return;
    }
    if (this.mode === 'document') {
      this.decodeDocumentChunk(chunk, true);
      return;
    }
    if (this.mode === 'lines' && !this.dropping && this.linesFast(chunk)) return;
    // Sniff and lines: split at newline bytes; decode whole lines only.
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline < 0) break;
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.dropping) {
        this.finishDroppedLine();
        continue;
      }
      const bytes = this.pendingByteLength === 0 ? piece : concatBytes([...this.pendingBytes, piece], this.pendingByteLength + piece.length);
      this.pendingBytes = [];
      this.pendingByteLength = 0;
      this.completeLineBytes(bytes);
      if ((this.mode as Mode) === 'document') {
        // Sniffing decided on a document: the rest of the chunk belongs to it.
        this.decodeDocumentChunk(chunk.subarray(start), true);
        return;
      }
      if ((this.mode as Mode) === 'rejected') return;
    }
    const rest = chunk.subarray(start);
    if (rest.length === 0 || this.dropping) return;
    this.pendingBytes.push(rest.slice());
    this.pendingByteLength += rest.length;
    if (this.pendingByteLength > this.maxLine) this.overlongPending();
  }

  /**
   * JSON Lines, the common case: decode every complete line of the chunk in one call and split
   * the text. False (nothing consumed) when the chunk has no newline or bytes that are not UTF-8,
   * which the line-by-line path then handles.
   */
  private linesFast(chunk: Uint8Array): boolean {
    const last = chunk.lastIndexOf(10);
    if (last < 0) return false;
    // The line begun in earlier chunks is joined with its end alone, not the whole chunk copied.
    const first = this.pendingByteLength === 0 ? -1 : chunk.indexOf(10);
    let joined = '';
    let text: string;
    try {
      if (first >= 0) joined = this.decoder.decode(concatBytes([...this.pendingBytes, chunk.subarray(0, first)], this.pendingByteLength + first));
      text = this.decoder.decode(chunk.subarray(first + 1, last));
    } catch {
      return false;
    }
    this.pendingBytes = [];
    this.pendingByteLength = 0;
    if (first >= 0) {
      this.completeLine(joined);
      if (first === last) text = ''; // the chunk held only the end of that line
    }
    if (first === last && first >= 0) {
      this.keepRest(chunk, last);
      return true;
    }
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      this.completeLine(newline < 0 ? text.slice(start) : text.slice(start, newline));
      if (newline < 0) break;
      start = newline + 1;
    }
    this.keepRest(chunk, last);
    return true;
  }

  /** Keeps the bytes after the chunk's last newline: the start of the next line. */
  private keepRest(chunk: Uint8Array, last: number): void {
    const rest = chunk.subarray(last + 1);
    if (rest.length === 0) return;
    this.pendingBytes.push(rest.slice());
    this.pendingByteLength = rest.length;
    if (this.pendingByteLength > this.maxLine) this.overlongPending();
  }

  pushText(text: string): void {
    if (this.cancelled || this.mode === 'rejected') return;
    this.inputKind = 'text';
    this.bytesRead += text.length;
    if (this.mode === 'sniff' && this.bytesRead - text.length < BINARY_SNIFF && text.slice(0, BINARY_SNIFF).includes('\u0000')) {
      this.reject();
      return;
    }
    if (this.mode === 'document') {
      this.documentParts.push(text);
      return;
    }
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline < 0) break;
      const piece = text.slice(start, newline);
      start = newline + 1;
      if (this.dropping) {
        this.finishDroppedLine();
        continue;
      }
      const line = this.pendingText === '' ? piece : this.pendingText + piece;
      this.pendingText = '';
      this.completeLine(line);
      if ((this.mode as Mode) === 'document') {
        this.documentParts.push(text.slice(start));
        return;
      }
      if ((this.mode as Mode) === 'rejected') return;
    }
    if (start < text.length && !this.dropping) {
      this.pendingText += text.slice(start);
      if (this.pendingText.length > this.maxLine) this.overlongPending();
    }
  }

  /** The current incomplete line is over the limit. */
  private overlongPending(): void {
    if (this.mode === 'sniff') {
      // A first line this long is either one large document or a JSON Lines file with a huge
      // first line; read it as a document, which falls back to lines if it is not one value.
      this.enterDocument();
      return;
    }
    this.pendingText = '';
    this.pendingBytes = [];
    this.pendingByteLength = 0;
    this.dropping = true;
  }

  private finishDroppedLine(): void {
    this.dropping = false;
    this.line++;
    this.records++;
    this.out.skip('recordTooLarge', `the line is longer than ${formatBytes(this.maxLine)}; it is skipped`, this.at(this.line));
  }

  private completeLineBytes(bytes: Uint8Array): void {
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      this.line++;
      if (this.mode === 'sniff') {
        this.reject(`line ${this.line} holds bytes that are not UTF-8`);
        return;
      }
      this.records++;
      this.out.skip('notUtf8', 'the line holds bytes that are not UTF-8; it is skipped', this.at(this.line));
      return;
    }
    this.completeLine(text);
  }

  /** One complete line (without its `\n`). */
  private completeLine(raw: string): void {
    let text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (this.line === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (this.heldFirst !== undefined) {
      // The over-long first line is followed by more: the file is JSON Lines, and it is skipped.
      if (text.trim() === '') {
        this.heldBlank++;
        return;
      }
      this.heldFirst = undefined;
      this.line++;
      this.records++;
      this.out.skip('recordTooLarge', `the line is longer than ${formatBytes(this.maxLine)}; it is skipped`, this.at(this.line));
      this.line += this.heldBlank;
    } else if (text.length > this.maxLine && this.mode === 'sniff' && text.trim() !== '') {
      // Too long for a line of JSON Lines, but it may be a whole one-line document: hold it
      // (it is in memory already) until the next line or the end says which.
      this.heldFirst = raw;
      return;
    } else if (text.length > this.maxLine) {
      this.line++;
      this.records++;
      this.out.skip('recordTooLarge', `the line is longer than ${formatBytes(this.maxLine)}; it is skipped`, this.at(this.line));
      return;
    }
    if (this.mode === 'sniff') {
      if (text.trim() === '') {
        this.line++;
        this.documentParts.push(raw, '\n');
        return;
      }
      if (!isJsonValue(text)) {
        // The first value spans lines: a document. Keep what was read.
        this.documentParts.push(raw, '\n');
        this.line = 0;
        this.mode = 'document';
        return;
      }
      this.documentParts = [];
      this.mode = 'lines';
      this.startLines(text);
    }
    this.line++;
    if (text.charCodeAt(0) !== 123 && text.trim() === '') return;
    this.sawContent = true;
    this.records++;
    this.readLine(text, this.line);
  }

  /** Detects the format from the first line and starts its reader. */
  private startLines(firstLine: string): void {
    const parsed = parseJsonTree(firstLine);
    const sample = parsed.ok ? parsed.value : undefined;
    this.choose(sample, 'lines', this.line + 1);
  }

  private choose(sample: JsonNode | undefined, shape: 'lines' | 'document', line: number): void {
    const requested = this.options.format !== undefined && this.options.format !== 'auto' ? this.options.format : undefined;
    const ranked = sample === undefined ? [] : rankFormats(sample, shape, this.importers);
    if (requested !== undefined) {
      const importer = this.importers.find((candidate) => candidate.format === requested);
      if (importer === undefined) {
        this.out.diagnostic('unknownFormat', `no importer for format \`${requested}\``, this.at());
        return; // every record is counted as skipped
      }
      const own = ranked.find((claim) => claim.format === requested);
      if (own === undefined && sample !== undefined) {
        const best = ranked[0];
        this.out.diagnostic(
          'formatMismatch',
          `the content does not look like ${importer.label}${best ? ` (it looks like ${this.labelOf(best.format)}: ${best.reason})` : ''}; reading it as ${importer.label} anyway`,
          this.at(line),
        );
      }
      this.detection = { format: requested, confidence: own?.confidence ?? 0, reason: own?.reason ?? 'the format was named', requested: true };
      this.importer = importer;
    } else {
      const best = ranked[0];
      if (best === undefined) {
        this.out.diagnostic(
          'unknownFormat',
          `no importer recognises ${sample ? describeShape(sample) : 'this content'}${shape === 'lines' ? ' on the first line' : ''}; known formats: ${this.importers.map((i) => i.format).join(', ')}`,
          this.at(line),
        );
        return; // every record is counted as skipped
      }
      this.detection = best;
      this.importer = this.importers.find((candidate) => candidate.format === best.format);
    }
    this.reader = this.importer!.start(this.out, this.options);
  }

  private labelOf(format: TraceFormat): string {
    return this.importers.find((importer) => importer.format === format)?.label ?? format;
  }

  private readLine(text: string, line: number): void {
    const reader = this.reader;
    if (reader === undefined) {
      this.out.countSkipped('unknownFormat'); // the one GH4106 diagnostic says why
      return;
    }
    if (reader.readLine !== undefined) {
      reader.readLine(text, line, this.options.file);
      return;
    }
    const parsed = parseJsonTree(text);
    if (!parsed.ok) {
      this.out.skip('notJson', `not JSON (column ${parsed.span.start + 1}): ${parsed.message}`, this.at(line));
      return;
    }
    const file = this.options.file;
    const origin: RecordOrigin = { file, shape: 'lines', locate: (_node, path) => ({ file, line, path }) };
    this.safely(() => reader.read(parsed.value, origin), line);
  }

  /** An importer bug must not lose the import: report it on the record and go on. */
  private safely(read: () => void, line: number | undefined): void {
    try {
      read();
    } catch (error) {
      this.out.skip('wrongType', `the record could not be read (${error instanceof Error ? error.message : String(error)}); it is skipped`, this.at(line));
    }
  }

  private enterDocument(): void {
    this.mode = 'document';
    if (this.inputKind === 'bytes') {
      const bytes = concatBytes(this.pendingBytes, this.pendingByteLength);
      this.pendingBytes = [];
      this.pendingByteLength = 0;
      this.line = 0;
      this.decodeDocumentChunk(bytes, true);
    } else {
      this.documentParts.push(this.pendingText);
      this.pendingText = '';
      this.line = 0;
    }
  }

  private decodeDocumentChunk(bytes: Uint8Array, stream: boolean): void {
    if (this.documentDecodeFailed) return;
    try {
      this.documentParts.push(this.decoder.decode(bytes, { stream }));
    } catch {
      this.documentDecodeFailed = true;
    }
  }

  private reject(why = 'it starts with NUL bytes or a UTF-16 byte-order mark'): void {
    this.mode = 'rejected';
    this.out.diagnostic('binaryFile', `the file is not a UTF-8 text trace: ${why}`, this.at());
  }

  /** Finishes the import and returns everything read. */
  end(): ImportResult {
    if (!this.cancelled && this.mode !== 'rejected') {
      if (this.mode === 'sniff' || this.mode === 'lines') {
        if (this.dropping) this.finishDroppedLine();
        else if (this.inputKind === 'bytes' && this.pendingByteLength > 0) {
          const bytes = concatBytes(this.pendingBytes, this.pendingByteLength);
          this.pendingBytes = [];
          this.pendingByteLength = 0;
          this.completeLineBytes(bytes);
        } else if (this.pendingText !== '') {
          const text = this.pendingText;
          this.pendingText = '';
          this.completeLine(text);
        }
      }
      if (this.heldFirst !== undefined) {
        // The over-long first line was the whole file: one document.
        this.documentParts.push(this.heldFirst);
        this.heldFirst = undefined;
        this.mode = 'document';
        this.line = 0;
      }
      if (this.mode === 'sniff' && !this.sawContent) {
        // Only blank lines, or nothing at all.
        this.out.diagnostic('emptyFile', 'the file is empty: there is no record to import', this.at());
      } else if (this.mode === 'document') this.endDocument();
      this.reader?.finish();
    } else if (this.cancelled) this.reader?.finish();
    const built = this.out.finish();
    const diagnostics = built.diagnostics.map((d, index) => ({ d, index }));
    diagnostics.sort((a, b) => (a.d.line ?? 0) - (b.d.line ?? 0) || a.index - b.index);
    return {
      file: this.options.file,
      format: this.importer?.format,
      detection: this.detection,
      events: built.events,
      sessions: built.sessions,
      diagnostics: diagnostics.map((entry) => entry.d),
      tools: built.tools,
      stats: { bytes: this.bytesRead, records: this.records, ...built.stats },
      cancelled: this.cancelled,
    };
  }

  private endDocument(): void {
    if (this.inputKind === 'bytes') this.decodeDocumentChunk(new Uint8Array(0), false);
    if (this.documentDecodeFailed) {
      this.out.diagnostic('binaryFile', 'the file is not a UTF-8 text trace: it holds bytes that are not UTF-8', this.at());
      this.mode = 'rejected';
      return;
    }
    let text = this.documentParts.length === 1 ? this.documentParts[0]! : this.documentParts.join('');
    this.documentParts = [];
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') {
      this.out.diagnostic('emptyFile', 'the file is empty: there is no record to import', this.at());
      return;
    }
    this.sawContent = true;
    const parsed = parseJsonTree(text);
    const lineOf = lazyLineIndex(text);
    if (!parsed.ok) {
      const { line, column } = lineOf(parsed.span.start);
      if (startsWithOverlongLine(text, this.maxLine)) {
        // A JSON Lines file whose first line is over the limit: read it as lines after all.
        this.readTextAsLines(text);
        return;
      }
      this.records++;
      this.out.skip('notJson', `the file is not valid JSON (line ${line}, column ${column}): ${parsed.message}`, this.at(line));
      return;
    }
    this.records++;
    this.choose(parsed.value, 'document', 1);
    const reader = this.reader;
    if (reader === undefined) {
      this.out.countSkipped('unknownFormat');
      return;
    }
    const file = this.options.file;
    const origin: RecordOrigin = { file, shape: 'document', locate: (node, path) => ({ file, line: lineOf(node.span.start).line, path }) };
    this.safely(() => reader.read(parsed.value, origin), undefined);
  }

  /** Re-reads a whole text as JSON Lines (the first line too long to sniff). */
  private readTextAsLines(text: string): void {
    this.mode = 'lines';
    this.line = 0;
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const raw = text.slice(start, end);
      start = end + 1;
      if (raw.length > this.maxLine) {
        this.line++;
        this.records++;
        this.out.skip('recordTooLarge', `the line is longer than ${formatBytes(this.maxLine)}; it is skipped`, this.at(this.line));
        continue;
      }
      if (this.reader === undefined && raw.trim() !== '' && isJsonValue(raw.replace(/\r$/, ''))) {
        this.startLines(raw.replace(/\r$/, ''));
        if ((this.mode as Mode) === 'rejected') return;
      }
      if (end === text.length && raw === '') break;
      this.completeLineInLines(raw);
    }
  }

  private completeLineInLines(raw: string): void {
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    this.line++;
    if (text.trim() === '') return;
    this.records++;
    this.readLine(text, this.line);
  }
}

function startsWithOverlongLine(text: string, max: number): boolean {
  const newline = text.indexOf('\n');
  return newline > max;
}

/** Whether text is one JSON value by itself. */
function isJsonValue(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function lazyLineIndex(text: string): (offset: number) => { line: number; column: number } {
  let index: ((offset: number) => { line: number; column: number }) | undefined;
  return (offset) => (index ??= createLineIndex(text))(offset);
}

function looksBinary(chunk: Uint8Array, atStart: boolean): boolean {
  if (atStart && chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) return true;
  return chunk.subarray(0, BINARY_SNIFF).includes(0);
}

function concatBytes(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Imports a whole text (already decoded). */
export function importTextWith(text: string, options: ImportOptions, importers: readonly TraceImporter[]): ImportResult {
  const run = new TraceImport(options, importers);
  for (let start = 0; start < text.length; start += TEXT_SLICE) {
    if (options.signal?.aborted) {
      run.cancel();
      break;
    }
    run.pushText(text.slice(start, start + TEXT_SLICE));
  }
  const result = run.end();
  options.onProgress?.({ bytes: result.stats.bytes, records: result.stats.records });
  return result;
}

/** Imports bytes held in memory. */
export function importBytesWith(bytes: Uint8Array, options: ImportOptions, importers: readonly TraceImporter[]): ImportResult {
  const run = new TraceImport(options, importers);
  run.pushBytes(bytes);
  const result = run.end();
  options.onProgress?.({ bytes: result.stats.bytes, records: result.stats.records });
  return result;
}

/** The chunks of a web ReadableStream or any async iterable of bytes (a Node stream). */
async function* chunksOf(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in source) {
    yield* source as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (source as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Imports a stream of bytes incrementally, with progress and cancellation. */
export async function importStreamWith(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: ImportOptions,
  importers: readonly TraceImporter[],
): Promise<ImportResult> {
  const run = new TraceImport(options, importers);
  for await (const chunk of chunksOf(source)) {
    if (options.signal?.aborted) {
      run.cancel();
      break;
    }
    run.pushBytes(chunk);
    options.onProgress?.({ bytes: run.bytes, records: run.recordsRead });
  }
  if (options.signal?.aborted && !run.isCancelled) run.cancel();
  return run.end();
}

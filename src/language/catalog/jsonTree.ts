// A strict JSON reader that keeps each value's span, so import diagnostics point into the file.
// Objects are Maps (a member named `__proto__` or `constructor` stays plain data, and member
// order is the file's order, integer-like keys included). Iterative: no input overflows the
// stack. Accepts exactly what JSON.parse accepts, plus a leading byte-order mark.

import type { Span } from '../ast';

export type JsonNode =
  | { readonly kind: 'null'; readonly span: Span }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  | JsonArray
  | JsonObject;

export interface JsonArray {
  readonly kind: 'array';
  readonly items: JsonNode[];
  readonly span: Span;
}

export interface JsonObject {
  readonly kind: 'object';
  /** Members in file order; a repeated key keeps its first position and its last value. */
  readonly members: Map<string, JsonNode>;
  readonly span: Span;
}

export type JsonParseResult =
  | { readonly ok: true; readonly value: JsonNode }
  | { readonly ok: false; readonly message: string; readonly span: Span };

class JsonSyntaxError {
  constructor(
    readonly message: string,
    readonly span: Span,
  ) {}
}

interface Frame {
  readonly node: { kind: 'array'; items: JsonNode[]; span: Span } | { kind: 'object'; members: Map<string, JsonNode>; span: Span };
  /** Objects: the key whose value is being read. */
  key: string;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Parses JSON text into a tree of spanned nodes; reports the first syntax error with its span. */
export function parseJsonTree(text: string): JsonParseResult {
  try {
    return { ok: true, value: new JsonReader(text).readDocument() };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, message: error.message, span: error.span };
    throw error;
  }
}

class JsonReader {
  private pos: number;

  constructor(private readonly text: string) {
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  readDocument(): JsonNode {
    const stack: Frame[] = [];
    let value: JsonNode;
    for (;;) {
      this.skipWhitespace();
      const opened = this.openContainer();
      if (opened) {
        stack.push(opened);
        continue;
      }
      value = this.readScalar();
      // Attach the finished value to its parent; close every container that ends here.
      for (;;) {
        const frame = stack[stack.length - 1];
        if (frame === undefined) {
          this.skipWhitespace();
          if (this.pos < this.text.length) this.fail('unexpected text after the JSON value');
          return value;
        }
        if (frame.node.kind === 'array') frame.node.items.push(value);
        else frame.node.members.set(frame.key, value);
        this.skipWhitespace();
        const c = this.text[this.pos];
        const close = frame.node.kind === 'array' ? ']' : '}';
        if (c === ',') {
          this.pos++;
          if (frame.node.kind === 'object') frame.key = this.readKey();
          break;
        }
        if (c !== close) this.fail(`expected \`,\` or \`${close}\``);
        this.pos++;
        stack.pop();
        frame.node.span = { start: frame.node.span.start, end: this.pos };
        value = frame.node;
      }
    }
  }

  /** At a non-empty `{` or `[`: consumes it (and an object's first key) and returns its frame. */
  private openContainer(): Frame | undefined {
    const c = this.text[this.pos];
    if (c !== '{' && c !== '[') return undefined;
    const start = this.pos;
    const after = this.skipWhitespaceFrom(this.pos + 1);
    if (this.text[after] === (c === '{' ? '}' : ']')) return undefined; // `{}` and `[]` are read as scalars
    this.pos++;
    if (c === '[') return { node: { kind: 'array', items: [], span: { start, end: start } }, key: '' };
    const frame: Frame = { node: { kind: 'object', members: new Map(), span: { start, end: start } }, key: '' };
    frame.key = this.readKey();
    return frame;
  }

  /** Reads `"key" :` inside an object. */
  private readKey(): string {
    this.skipWhitespace();
    if (this.text[this.pos] !== '"') this.fail('expected a member name in double quotes');
    const key = this.readString();
    this.skipWhitespace();
    if (this.text[this.pos] !== ':') this.fail('expected `:` after the member name');
    this.pos++;
    return key;
  }

  private readScalar(): JsonNode {
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === '"') {
      const value = this.readString();
      return { kind: 'string', value, span: { start, end: this.pos } };
    }
    if (c === '{' || c === '[') {
      this.pos = this.skipWhitespaceFrom(this.pos + 1) + 1;
      const span = { start, end: this.pos };
      return c === '{' ? { kind: 'object', members: new Map(), span } : { kind: 'array', items: [], span };
    }
    for (const [word, node] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (this.text.startsWith(word, start)) {
        this.pos += word.length;
        return { ...node, span: { start, end: this.pos } } as JsonNode;
      }
    }
    NUMBER.lastIndex = start;
    const match = NUMBER.exec(this.text);
    if (match) {
      this.pos += match[0].length;
      return { kind: 'number', value: Number(match[0]), span: { start, end: this.pos } };
    }
    return this.fail(c === undefined ? 'unexpected end of file, expected a value' : `expected a value, found ${describeChar(this.text, start)}`);
  }

  /** Reads a string literal at the opening quote; leaves `pos` after the closing quote. */
  private readString(): string {
    const start = this.pos;
    let pos = start + 1;
    let chunkStart = pos;
    let value = '';
    for (;;) {
      if (pos >= this.text.length) this.fail('unterminated string', { start, end: pos });
      const c = this.text.charCodeAt(pos);
      if (c === 34 /* " */) {
        this.pos = pos + 1;
        return value + this.text.slice(chunkStart, pos);
      }
      if (c < 0x20) {
        this.fail(`control character ${describeChar(this.text, pos)} in a string; write it as an escape`, { start: pos, end: pos + 1 });
      }
      if (c !== 92 /* \ */) {
        pos++;
        continue;
      }
      value += this.text.slice(chunkStart, pos);
      const next = this.text[pos + 1];
      const simple = next === undefined ? undefined : SIMPLE_ESCAPES[next];
      if (simple !== undefined) {
        value += simple;
        pos += 2;
      } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(pos + 2, pos + 6))) {
        value += String.fromCharCode(parseInt(this.text.slice(pos + 2, pos + 6), 16));
        pos += 6;
      } else {
        this.fail('invalid escape in a string', { start: pos, end: Math.min(pos + 2, this.text.length) });
      }
      chunkStart = pos;
    }
  }

  private skipWhitespace(): void {
    this.pos = this.skipWhitespaceFrom(this.pos);
  }

  private skipWhitespaceFrom(pos: number): number {
    for (;;) {
      const c = this.text.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
      else return pos;
    }
  }

  private fail(message: string, span?: Span): never {
    const start = Math.min(this.pos, this.text.length);
    throw new JsonSyntaxError(message, span ?? { start, end: Math.min(start + 1, this.text.length) });
  }
}

function describeChar(text: string, pos: number): string {
  const codePoint = text.codePointAt(pos) ?? 0;
  if (codePoint < 0x20 || codePoint === 0x7f) return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\`${String.fromCodePoint(codePoint)}\``;
}

/** The member `key` of an object node, if the node is an object that has it. */
export function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  return node?.kind === 'object' ? node.members.get(key) : undefined;
}

/** The string value of member `key`, if present and a string. */
export function stringMember(node: JsonNode | undefined, key: string): string | undefined {
  const value = member(node, key);
  return value?.kind === 'string' ? value.value : undefined;
}

/** The boolean value of member `key`, if present and a boolean. */
export function booleanMember(node: JsonNode | undefined, key: string): boolean | undefined {
  const value = member(node, key);
  return value?.kind === 'boolean' ? value.value : undefined;
}

/** How a JSON value is called in messages: `an object`, `a string`, ... */
export function describeJsonKind(node: JsonNode): string {
  switch (node.kind) {
    case 'null':
      return '`null`';
    case 'boolean':
      return 'a boolean';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
  }
}

/** A span covering just the first character of a node (its opening bracket or quote). */
export function headSpan(node: JsonNode): Span {
  return { start: node.span.start, end: Math.min(node.span.start + 1, node.span.end) };
}

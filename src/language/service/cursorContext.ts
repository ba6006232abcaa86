// Where the cursor is, read from the tokens before it: the partial word being typed, the block it
// sits in (top level, a role, a test, a tool's args, ...) and the tokens of the statement so far.
// Works on any text, however broken: it only lexes the prefix and tracks brackets.

import type { Span } from '../ast';
import { lex, type Token } from '../lexer';
import { DECLARATION_KEYWORDS } from '../parserBase';

/** The blocks whose items are statements the completion scanners understand. */
export type BlockKind = 'top' | 'role' | 'test' | 'tool' | 'fields' | 'agent' | 'human';

export interface CursorContext {
  /** The partial word under the cursor (or an empty span at the cursor). */
  readonly replace: Span;
  /** The cursor is inside a string literal; `replace` then covers the whole string. */
  readonly inString: boolean;
  /** Nothing but whitespace precedes the partial word on its line. */
  readonly atLineStart: boolean;
  /** The innermost statement-bearing block around the cursor. */
  readonly block: BlockKind;
  /** Tokens of the current statement in that block, up to the partial word (brackets included). */
  readonly statement: readonly Token[];
  /** The cursor is inside a bracket the statement opened (a list, an object, parentheses). */
  readonly nested: boolean;
  /** False where nothing can be completed: in a comment, or right after a number or a closed string. */
  readonly completable: boolean;
}

/** Words that start an item of each block kind (besides the first token after a separator). */
const ITEM_WORDS: Readonly<Record<Exclude<BlockKind, 'top' | 'fields'>, ReadonlySet<string>>> = {
  role: new Set(['permit', 'forbid', 'monitor', 'require', 'limit', 'description']),
  test: new Set(['agent', 'on_behalf_of', 'session', 'approvals', 'context', 'user', 'call']),
  tool: new Set(['description', 'args', 'labels']),
  agent: new Set(['owner', 'roles', 'tier', 'description']),
  human: new Set(['roles', 'description']),
};

interface Frame {
  readonly open: string;
  /** Undefined for brackets that do not hold statements (lists, objects, parentheses). */
  readonly block: BlockKind | undefined;
  /** Index of the first token of the current statement (statement-bearing frames only). */
  start: number;
  /** The current statement has an `expect` (so a test call is complete). */
  expectSeen?: boolean;
}

const CLOSERS: Readonly<Record<string, string>> = { '}': '{', ']': '[', ')': '(' };

/** Reads the cursor's surroundings at `offset` in `text`. */
export function cursorContext(text: string, offset: number): CursorContext {
  const at = Math.max(0, Math.min(Number.isFinite(offset) ? Math.trunc(offset) : 0, text.length));
  const { tokens, comments } = lex(text.slice(0, at));
  tokens.pop(); // EOF
  const inComment = comments.length > 0 && comments[comments.length - 1]!.span.end === at;
  let partial: Token | undefined;
  let inString = false;
  let completable = !inComment;
  const last = tokens[tokens.length - 1];
  if (last && last.span.end === at && completable) {
    if (last.kind === 'Ident') partial = tokens.pop();
    else if (last.kind === 'Error' && text[last.span.start] === '"') {
      partial = tokens.pop();
      inString = true;
    } else if (last.kind !== 'Punct') completable = false;
  }
  const replace = partial ? { start: partial.span.start, end: inString ? stringEnd(text, at) : wordEnd(text, at) } : { start: at, end: at };
  const previousEnd = tokens.length > 0 ? tokens[tokens.length - 1]!.span.end : 0;
  const atLineStart = partial ? partial.lineStart : tokens.length === 0 || /[\n\r]/.test(text.slice(previousEnd, at));
  const { frame, nested } = innermostBlock(tokens);
  return { replace, inString, atLineStart, block: frame.block!, statement: tokens.slice(frame.start), nested, completable };
}

/** The end of the identifier-like word that continues after `at`. */
function wordEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length && /[A-Za-z0-9_*-]/.test(text[end]!)) end++;
  return end;
}

/** The end of the string literal the cursor is in: after its closing quote, or the line's end. */
function stringEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length) {
    const c = text[end]!;
    if (c === '\n' || c === '\r') return end;
    if (c === '\\') end += 2;
    else if (c === '"') return end + 1;
    else end++;
  }
  return Math.min(end, text.length);
}

/** Tracks brackets and statement starts over the tokens; finds the innermost statement frame. */
function innermostBlock(tokens: readonly Token[]): { frame: Frame; nested: boolean } {
  const stack: Frame[] = [{ open: '', block: 'top', start: 0 }];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const frame = stack[stack.length - 1]!;
    if (frame.block !== undefined && i > frame.start && startsItem(frame, tokens, i)) {
      frame.start = i;
      frame.expectSeen = false;
    }
    if (token.kind === 'Ident' && token.text === 'expect') frame.expectSeen = true;
    if (token.kind !== 'Punct') continue;
    const punct = token.text;
    if (punct === '{' || punct === '[' || punct === '(') {
      stack.push({ open: punct, block: punct === '{' ? blockOpenedBy(frame, tokens, i) : undefined, start: i + 1 });
    } else if (CLOSERS[punct] !== undefined) {
      const index = findOpen(stack, CLOSERS[punct]!);
      if (index <= 0) continue;
      const closed = stack[index]!;
      stack.length = index;
      // A closed block (a tool's body, a role, a test) ends the statement it belonged to.
      const parent = stack[stack.length - 1]!;
      if (closed.block !== undefined && parent.block !== undefined) {
        parent.start = i + 1;
        parent.expectSeen = false;
      }
    } else if (frame.block !== undefined && (punct === ';' || (punct === ',' && frame.block !== 'top'))) {
      frame.start = i + 1;
      frame.expectSeen = false;
    }
  }
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.block !== undefined) return { frame: stack[i]!, nested: i < stack.length - 1 };
  return { frame: stack[0]!, nested: stack.length > 1 };
}

function findOpen(stack: readonly Frame[], open: string): number {
  for (let i = stack.length - 1; i > 0; i--) if (stack[i]!.open === open) return i;
  return -1;
}

/** Whether token `i` begins a new item of the frame's block. */
function startsItem(frame: Frame, tokens: readonly Token[], i: number): boolean {
  const token = tokens[i]!;
  if (token.kind !== 'Ident') return false;
  switch (frame.block) {
    case 'top':
      // As in the parser, `agent.tier` on a new line continues a condition.
      if (!DECLARATION_KEYWORDS.has(token.text) || (tokens[i + 1]?.kind === 'Punct' && tokens[i + 1]?.text === '.')) return false;
      // `tool` and `label` also start targets (`require approval by "x" tool y`), so only at line start.
      return token.lineStart || (!takesName(tokens[i - 1]!) && token.text !== 'tool' && token.text !== 'label');
    case 'fields':
      return token.lineStart;
    case 'role':
      return ITEM_WORDS.role.has(token.text) && (token.lineStart || !takesName(tokens[i - 1]!));
    case 'test': {
      if (ITEM_WORDS.test.has(token.text)) return true;
      // `at` is a step of its own, except right after a call (`call x at "..."`).
      const first = tokens[frame.start];
      return token.text === 'at' && token.lineStart && !(first?.text === 'call' && frame.expectSeen !== true);
    }
    case 'tool':
    case 'agent':
    case 'human':
      return ITEM_WORDS[frame.block].has(token.text);
    default:
      return false;
  }
}

/**
 * Whether a keyword after `previous` on the same line is still part of the current item. Only
 * after a literal or a closing bracket does it surely start a new one (`... because "x" permit`);
 * after a word it may be a name (`permit tool limit` names a tool `limit`).
 */
function takesName(previous: Token): boolean {
  if (previous.kind === 'String' || previous.kind === 'Number' || previous.kind === 'Duration') return false;
  return !(previous.kind === 'Punct' && (previous.text === ']' || previous.text === ')'));
}

/** The kind of block a `{` at token `i` opens, or undefined for an object literal. */
function blockOpenedBy(frame: Frame, tokens: readonly Token[], i: number): BlockKind | undefined {
  const first = tokens[frame.start];
  if (!first || frame.start >= i || first.kind !== 'Ident') return undefined;
  if (frame.block === 'top') {
    switch (first.text) {
      case 'tool':
        return 'tool';
      case 'agent':
        return 'agent';
      case 'human':
        return 'human';
      case 'role':
        return 'role';
      case 'test':
        return 'test';
      case 'context':
        return 'fields';
      default:
        return undefined;
    }
  }
  if (frame.block === 'tool' && tokens[i - 1]?.text === 'args' && tokens[i - 1]?.kind === 'Ident') return 'fields';
  return undefined;
}

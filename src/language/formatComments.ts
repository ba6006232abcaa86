// Comments for the formatter: which printed item each comment of a file belongs to, and how a
// sequence of items is printed with its comments and blank lines. Every comment is placed
// exactly once, so formatting never drops, duplicates or moves a comment into code.
//
// Placement, for a comment in a container (the file, a `{ }` block, a rule and its clauses):
// - inside an item that has its own layout: placed within that item, recursively;
// - inside an item printed as a unit (a rule's head or clause, a field, a test step, a `set`):
//   moved to its own line just before that item, since a `#` comment would swallow the rest
//   of the line;
// - after an item on the same line (only brackets or separators between): a trailing comment,
//   kept at the end of that item's line;
// - right after a block's opening `{`, on that line: kept there (the block's header comment);
// - otherwise on its own line before the next item; after the last item: at the end of the
//   block, before its `}` (dangling). In a rule, which has no `}`, such comments go at the end
//   of the rule's line when alone there, else before its last clause. The rule's last printed
//   line ends with its own trailing comment, so a comment trailing its last clause is moved
//   there, or before that clause when the rule has one already.

import type { Comment, Span } from './ast';

/** How a layout node treats the comments inside it. */
export type LayoutShape =
  | 'body' // the file: items, no brackets
  | 'block' // `{ ... }`: items, a header comment after `{`, dangling comments before `}`
  | 'chain' // a rule, limit or grant: a head and clauses, no closing bracket
  | 'atomic' // printed on one line: comments inside move before it
  | 'verbatim'; // copied as written (unreadable text): comments inside are part of that text

/** One printed item of the formatter's layout, identified by the AST object it prints. */
export interface LayoutNode {
  readonly key: object;
  readonly span: Span;
  readonly shape: LayoutShape;
  /** In printed order (a rule's clauses are reordered; the last one ends the rule's line). */
  readonly children: readonly LayoutNode[];
}

/** The comments attached to one layout item. */
export interface CommentSlots {
  /** Own-line comments before the item. */
  readonly leading: Comment[];
  /** The comment at the end of the item's last line. */
  trailing: Comment | undefined;
  /** A block's comment on its opening line, after `{`. */
  header: Comment | undefined;
  /** Own-line comments after a block's last item (before `}`, or at the end of the file). */
  readonly dangling: Comment[];
}

const NO_COMMENTS: CommentSlots = Object.freeze({ leading: [], trailing: undefined, header: undefined, dangling: [] });

/** Comment placement for every layout item, looked up by the item's key. */
export class CommentMap {
  private readonly slots = new Map<object, CommentSlots>();

  /** The comments attached to `key` (none when nothing was attached). */
  get(key: object): CommentSlots {
    return this.slots.get(key) ?? NO_COMMENTS;
  }

  /** Whether any comment sits on `key` itself (leading or trailing). */
  has(key: object): boolean {
    const slots = this.get(key);
    return slots.leading.length > 0 || slots.trailing !== undefined;
  }

  slot(key: object): CommentSlots {
    let slots = this.slots.get(key);
    if (!slots) {
      slots = { leading: [], trailing: undefined, header: undefined, dangling: [] };
      this.slots.set(key, slots);
    }
    return slots;
  }
}

/** Places every comment of a file on the layout (see the rules at the top of this file). */
export function attachComments(root: LayoutNode, comments: readonly Comment[], text: string, verbatim: readonly Span[]): CommentMap {
  const map = new CommentMap();
  const afterLast = new Map<LayoutNode, Comment[]>();
  const chains: LayoutNode[] = [];
  const sorted = new Map<LayoutNode, SortedChildren>();
  const childrenOf = (node: LayoutNode): SortedChildren => {
    let children = sorted.get(node);
    if (!children) {
      const list = [...node.children].sort((a, b) => a.span.start - b.span.start);
      children = { list, disjoint: list.every((child, i) => i === 0 || list[i - 1]!.span.end <= child.span.start) };
      sorted.set(node, children);
      if (node.shape === 'chain') chains.push(node);
    }
    return children;
  };

  const place = (node: LayoutNode, comment: Comment): void => {
    const at = comment.span.start;
    const { inside, previous, next } = neighbours(childrenOf(node), at);
    if (inside) {
      if (inside.shape === 'atomic') map.slot(inside.key).leading.push(comment);
      else if (inside.shape !== 'verbatim') place(inside, comment);
      return;
    }
    if (previous && trails(text, previous.span.end, at) && !map.get(previous.key).trailing) {
      map.slot(previous.key).trailing = comment;
    } else if (!previous && node.shape === 'block' && !hasLineBreak(text, node.span.start, at) && !map.get(node.key).header) {
      map.slot(node.key).header = comment;
    } else if (next) {
      map.slot(next.key).leading.push(comment);
    } else if (node.shape === 'chain') {
      const list = afterLast.get(node) ?? [];
      list.push(comment);
      afterLast.set(node, list);
    } else {
      map.slot(node.key).dangling.push(comment);
    }
  };

  for (const comment of comments) {
    if (verbatim.some((span) => span.start <= comment.span.start && comment.span.start < span.end)) continue;
    place(root, comment);
  }

  // Comments after a rule's last clause but inside the rule (before its `;`).
  for (const [chain, list] of afterLast) {
    const children = childrenOf(chain).list;
    let last = children[0];
    for (const child of children) if (last && child.span.end > last.span.end) last = child;
    const only = list.length === 1 ? list[0]! : undefined;
    if (last && only && trails(text, last.span.end, only.span.start) && !map.get(chain.key).trailing) {
      map.slot(chain.key).trailing = only;
    } else if (last) {
      map.slot(last.key).leading.push(...list);
    } else {
      map.slot(chain.key).dangling.push(...list);
    }
  }
  // A comment trailing a rule's last printed clause ends the rule's last line, which is where
  // the rule's own trailing comment goes: it becomes the rule's, or, when the rule has its own,
  // moves onto a line before that clause.
  for (const chain of chains) {
    const last = chain.children[chain.children.length - 1];
    const comment = last && map.get(last.key).trailing;
    if (!last || !comment) continue;
    map.slot(last.key).trailing = undefined;
    if (map.get(chain.key).trailing) map.slot(last.key).leading.push(comment);
    else map.slot(chain.key).trailing = comment;
  }
  return map;
}

/** A node's children sorted by start; `disjoint` when no two overlap (always, but in a tool or agent repeating an entry). */
interface SortedChildren {
  readonly list: readonly LayoutNode[];
  readonly disjoint: boolean;
}

/**
 * The child containing offset `at`; else the child ending last before it and the first child
 * starting after it. A binary search, since the file and big blocks have thousands of items.
 */
function neighbours({ list, disjoint }: SortedChildren, at: number): { inside?: LayoutNode; previous?: LayoutNode; next?: LayoutNode } {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle]!.span.start <= at) low = middle + 1;
    else high = middle;
  }
  // list[0..low) start at or before `at`; list[low] is the first to start after it.
  const next = list[low];
  let previous: LayoutNode | undefined;
  for (let i = disjoint ? Math.max(0, low - 1) : 0; i < low; i++) {
    const child = list[i]!;
    if (at < child.span.end) return { inside: child };
    if (!previous || child.span.end >= previous.span.end) previous = child;
  }
  return { previous, next };
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  return text.slice(from, to).includes('\n');
}

/** Whether a comment at `to` ends the line of an item ending at `from`: only closing brackets and separators between. */
function trails(text: string, from: number, to: number): boolean {
  const lineBreak = text.indexOf('\n', from);
  if (lineBreak >= 0 && lineBreak < to) return false;
  return /^[^\S\n]*(?:[;,)\]}][^\S\n]*)*$/.test(text.slice(from, to));
}

/** Whether the source has an empty line between `from` and `to`, with only separators around. */
export function blankLineBetween(text: string, from: number, to: number): boolean {
  if (from > to) return false;
  const gap = text.slice(from, to);
  return /^[\s;,]*$/.test(gap) && /\n[^\S\n]*\n/.test(gap);
}

// --- printing ------------------------------------------------------------------------------------

/** One item of a printed sequence: a declaration, a block entry, a clause or a test step. */
export interface PrintItem {
  readonly key: object;
  readonly span: Span;
  /** Kind of declaration, for blank lines between top-level groups. */
  readonly group?: string;
  /** The item's lines at `indent`, without its own leading and trailing comments. */
  readonly render: (indent: string) => string[];
}

/**
 * Blank lines between items: none; `source`, where the source had at least one (at most one
 * is kept); `declarations`, as `source` and also between items of different groups and around
 * items that take more than one line.
 */
export type BlankLines = 'none' | 'source' | 'declarations';

export interface PrintItemsOptions {
  readonly comments: CommentMap;
  readonly text: string;
  readonly blankLines: BlankLines;
  /** Comments after the last item, printed at the end of the sequence. */
  readonly dangling: readonly Comment[];
}

/** Prints items one after another at `indent`, each with its leading and trailing comments. */
export function printItems(items: readonly PrintItem[], indent: string, options: PrintItemsOptions): string[] {
  const { comments, text, blankLines } = options;
  const keepBlank = (from: number, to: number): boolean => blankLines !== 'none' && blankLineBetween(text, from, to);
  const out: string[] = [];
  let previous: { readonly end: number; readonly group: string | undefined; readonly multiLine: boolean } | undefined;
  for (const item of items) {
    const slots = comments.get(item.key);
    const lines = item.render(indent);
    const multiLine = lines.filter((line) => !line.trimStart().startsWith('#')).length > 1;
    if (previous) {
      const groupStart = Math.min(item.span.start, ...slots.leading.map((comment) => comment.span.start));
      const forced = blankLines === 'declarations' && (previous.group !== item.group || previous.multiLine || multiLine);
      if (forced || keepBlank(previous.end, groupStart)) out.push('');
    }
    let lastComment: Comment | undefined;
    for (const comment of slots.leading) {
      if (lastComment && keepBlank(lastComment.span.end, comment.span.start)) out.push('');
      out.push(commentLine(indent, comment));
      lastComment = comment;
    }
    if (lastComment && keepBlank(lastComment.span.end, item.span.start)) out.push('');
    if (slots.trailing && lines.length > 0) lines[lines.length - 1] += trailingText(slots.trailing);
    else if (slots.trailing) lines.push(commentLine(indent, slots.trailing));
    out.push(...lines);
    previous = { end: Math.max(item.span.end, slots.trailing?.span.end ?? 0), group: item.group, multiLine };
  }
  let end = previous?.end;
  for (const comment of options.dangling) {
    if (end !== undefined && keepBlank(end, comment.span.start)) out.push('');
    out.push(commentLine(indent, comment));
    end = comment.span.end;
  }
  return out;
}

/** A comment on its own line. */
export function commentLine(indent: string, comment: Comment): string {
  return `${indent}${commentSource(comment)}`;
}

/** A comment at the end of a line (with the space before it). */
export function trailingText(comment: Comment | undefined): string {
  return comment ? ` ${commentSource(comment)}` : '';
}

/** `#` and the text. The lexer takes a `\r` before the line break as part of it, so a text ending in `\r` gets one more. */
function commentSource(comment: Comment): string {
  return `#${comment.text}${comment.text.endsWith('\r') ? '\r' : ''}`;
}

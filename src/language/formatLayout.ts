// The formatter's view of a file as nested printed items (declarations, block entries, rule
// heads and clauses, test steps) with the source span each one covers, so that comments can be
// attached to the item they were written next to. Keys are the AST objects the printer prints.

import type { Declaration, GrantDecl, LimitDecl, Name, Rule, SourceFile, Span, StringLit, TestStep, ToolDecl } from './ast';
import type { LayoutNode, LayoutShape } from './formatComments';

function node(key: object, span: Span, shape: LayoutShape, children: readonly LayoutNode[] = []): LayoutNode {
  return { key, span, shape, children };
}

/** The layout of a whole file. */
export function layoutOf(file: SourceFile): LayoutNode {
  return node(file, file.span, 'body', file.declarations.map((declaration) => declarationLayout(declaration, file)));
}

/** The span of every item of a layout, by key. */
export function spansOf(root: LayoutNode): Map<object, Span> {
  const spans = new Map<object, Span>();
  const visit = (item: LayoutNode): void => {
    spans.set(item.key, item.span);
    item.children.forEach(visit);
  };
  visit(root);
  return spans;
}

function declarationLayout(d: Declaration, file: SourceFile): LayoutNode {
  const entry = (keyword: string, value: StringLit | Name | readonly Name[] | undefined): LayoutNode[] => {
    const span = value && entrySpan(file, keyword, value);
    return value && span ? [node(value, span, 'atomic')] : [];
  };
  switch (d.kind) {
    case 'Import':
    case 'Timezone':
    case 'Label':
    case 'Set':
      return node(d, d.span, 'atomic');
    case 'Context':
      return node(d, d.span, 'block', d.fields.map((field) => node(field, field.span, 'atomic')));
    case 'Tool': {
      const args = argsSpan(d, file);
      const argsNode = args ? [node(d.args, args, 'block', d.args.map((field) => node(field, field.span, 'atomic')))] : [];
      return node(d, d.span, 'block', [...entry('description', d.description), ...argsNode, ...entry('labels', d.labels)]);
    }
    case 'Agent':
      return node(d, d.span, 'block', [...entry('description', d.description), ...entry('owner', d.owner), ...entry('roles', d.roles), ...entry('tier', d.tier)]);
    case 'Human':
      return node(d, d.span, 'block', [...entry('description', d.description), ...entry('roles', d.roles)]);
    case 'Role':
      return node(d, d.span, 'block', [
        ...entry('description', d.description),
        ...d.rules.map((rule) => (rule.kind === 'Error' ? node(rule, rule.span, 'verbatim') : chainLayout(rule, file.text))),
      ]);
    case 'Rule':
    case 'Limit':
    case 'Grant':
      return chainLayout(d, file.text);
    case 'Test':
      return node(d, d.span, 'block', d.steps.map(stepLayout));
    case 'Error':
      return node(d, d.span, 'verbatim');
  }
}

/**
 * A block entry from its keyword to its value: `description "..."`, `tier high`, `roles [a, b]`
 * (from the first `roles` to the last name or `]` when the entry is given several times).
 */
function entrySpan(file: SourceFile, keyword: string, value: StringLit | Name | readonly Name[]): Span | undefined {
  const { text } = file;
  const list = isNameList(value) ? value : undefined;
  const first = list ? list[0] : (value as StringLit | Name);
  const last = list ? list[list.length - 1] : (value as StringLit | Name);
  if (!first || !last) return undefined;
  let start = skipTriviaBackwards(file, first.span.start);
  if (list && text[start - 1] === '[') start = skipTriviaBackwards(file, start - 1);
  start = text.slice(start - keyword.length, start) === keyword ? start - keyword.length : first.span.start;
  let end = last.span.end;
  if (list) {
    const close = skipTrivia(text, end, true);
    if (text[close] === ']') end = close + 1;
  }
  return { start, end };
}

function isNameList(value: StringLit | Name | readonly Name[]): value is readonly Name[] {
  return Array.isArray(value);
}

function stepLayout(step: TestStep): LayoutNode {
  return node(step, step.span, step.kind === 'Error' ? 'verbatim' : 'atomic');
}

function chainLayout(chain: Rule | LimitDecl | GrantDecl, text: string): LayoutNode {
  const head = node(chain.target, { start: chain.span.start, end: headEnd(chain, text) }, 'atomic');
  const clauses = chainClauses(chain).map((clause) => node(clause, clause.span, 'atomic'));
  return node(chain, chain.span, 'chain', [head, ...clauses]);
}

/** The clauses of a rule, limit or grant in printed order (for, when, after, id, because), as `printChain` prints them. */
export function chainClauses(chain: Rule | LimitDecl | GrantDecl): { readonly span: Span }[] {
  const all = [
    chain.kind === 'Grant' ? undefined : chain.principal,
    chain.when,
    chain.kind === 'Rule' ? chain.after : undefined,
    chain.id,
    chain.because,
  ];
  return all.filter((clause): clause is NonNullable<typeof clause> => clause !== undefined);
}

/** Where the head of a rule, limit or grant ends: its target, its `per` keys, its time window. */
export function headEnd(chain: Rule | LimitDecl | GrantDecl, text: string): number {
  switch (chain.kind) {
    case 'Rule':
      return chain.target.span.end;
    case 'Limit':
      return Math.max(chain.window.span.end, ...chain.per.map((key) => key.span.end));
    case 'Grant': {
      const end = chain.until?.span.end ?? chain.from?.span.end ?? chain.duration?.span.end ?? chain.principal.span.end;
      return chain.afterApproval ? endOfWords(text, end, ['after', 'approval']) : end;
    }
  }
}

/** From the `args` keyword before the first argument to the `}` closing the last argument. */
export function argsSpan(tool: ToolDecl, file: SourceFile): Span | undefined {
  const first = tool.args[0];
  const last = tool.args[tool.args.length - 1];
  if (!first || !last) return undefined;
  const { text } = file;
  const close = skipTrivia(text, last.span.end, true);
  const end = text[close] === '}' ? close + 1 : last.span.end;
  const open = skipTriviaBackwards(file, first.span.start);
  if (text[open - 1] !== '{') return { start: first.span.start, end };
  const keyword = skipTriviaBackwards(file, open - 1);
  return { start: text.slice(keyword - 4, keyword) === 'args' ? keyword - 4 : open - 1, end };
}

const commentStarts = new WeakMap<SourceFile, Map<number, number>>();

/** Moves back from `pos` over whitespace and comments. */
function skipTriviaBackwards(file: SourceFile, pos: number): number {
  let starts = commentStarts.get(file);
  if (!starts) {
    starts = new Map(file.comments.map((comment) => [comment.span.end, comment.span.start]));
    commentStarts.set(file, starts);
  }
  for (;;) {
    const commentStart = starts.get(pos);
    if (commentStart !== undefined) pos = commentStart;
    else if (pos > 0 && /\s|\ufeff/.test(file.text[pos - 1]!)) pos--;
    else return pos;
  }
}

/** Skips whitespace, comments and (when asked) separators from `pos`. */
function skipTrivia(text: string, pos: number, separators = false): number {
  while (pos < text.length) {
    const char = text[pos]!;
    if (char === '#') {
      const lineEnd = text.indexOf('\n', pos);
      pos = lineEnd < 0 ? text.length : lineEnd;
    } else if (/\s/.test(char) || char === '\ufeff' || (separators && (char === ';' || char === ','))) pos++;
    else break;
  }
  return pos;
}

/** The end of `words` when they follow `pos` (with trivia between), else `pos`. */
function endOfWords(text: string, pos: number, words: readonly string[]): number {
  let at = pos;
  for (const word of words) {
    at = skipTrivia(text, at);
    if (!text.startsWith(word, at)) return pos;
    at += word.length;
  }
  return at;
}

const ERROR_KINDS = new Set(['Error', 'ErrorExpr', 'ErrorType', 'MissingTarget']);

/** Spans of the parts the parser could not read; the formatter copies them as written. */
export function verbatimSpans(file: SourceFile): Span[] {
  const spans: Span[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (typeof record['kind'] === 'string' && ERROR_KINDS.has(record['kind'])) spans.push(record['span'] as Span);
    for (const [key, child] of Object.entries(record)) if (key !== 'span' && key !== 'comments') visit(child);
  };
  visit(file.declarations);
  return spans;
}

// The formatter's printers for rules, limits, grants and test steps. A rule stays on one line
// when it fits in the width and has no comments inside; otherwise its head (`effect target`)
// comes first and each clause follows on its own line, in the order for, when, after, id,
// because.

import type { GrantDecl, LimitDecl, Rule, Span, TestStep } from './ast';
import { commentLine, printItems, trailingText, type CommentMap, type PrintItem } from './formatComments';
import { printClauseName, printCondition, printExpr, printName, printObject, printPrincipal, printString, printTarget, type Verbatim } from './formatExpressions';

/** Lines are kept within this many columns where the layout allows. */
export const WIDTH = 100;

/** What the printers of a file share. */
export interface FormatContext {
  readonly comments: CommentMap;
  readonly text: string;
  readonly verbatim: Verbatim;
  /** The source span the layout gave the item printing `key`. */
  readonly spanOf: (key: object) => Span;
}

interface Clause {
  readonly key: object;
  readonly span: Span;
  /** The clause on one line. */
  readonly flat: string;
  /** The clause on its own line(s) at `indent`. */
  readonly render: (indent: string) => string[];
}

function clause(key: { readonly span: Span }, flat: string): Clause {
  return { key, span: key.span, flat, render: (indent) => [indent + flat] };
}

/** `permit tool x ...`, `require approval by g for tool x ...`, `limit ...`, `grant ...`. */
export function printChain(context: FormatContext, chain: Rule | LimitDecl | GrantDecl, indent: string): string[] {
  const { verbatim } = context;
  const clauses: Clause[] = [];
  if (chain.kind !== 'Grant' && chain.principal) clauses.push(clause(chain.principal, `for ${printPrincipal(chain.principal)}`));
  if (chain.when) {
    const when = chain.when;
    clauses.push({
      key: when,
      span: when.span,
      flat: `when ${printExpr(when, verbatim)}`,
      render: (at) => printCondition('when ', when, at, WIDTH, verbatim),
    });
  }
  if (chain.kind === 'Rule' && chain.after) {
    const { source, within } = chain.after;
    clauses.push(clause(chain.after, `after ${printTarget(source, verbatim)}${within ? ` within ${within.raw}` : ''}`));
  }
  if (chain.id) clauses.push(clause(chain.id, `id ${printClauseName(chain.id)}`));
  if (chain.because) clauses.push(clause(chain.because, `because ${printString(chain.because.value)}`));
  return layOut(context, chain, headText(chain, verbatim), clauses, indent);
}

function headText(chain: Rule | LimitDecl | GrantDecl, verbatim: Verbatim): string {
  const target = printTarget(chain.target, verbatim);
  switch (chain.kind) {
    case 'Rule':
      if (chain.effect !== 'approval') return `${chain.effect} ${target}`;
      return `require approval${chain.approver ? ` by ${printName(chain.approver)}` : ''} for ${target}`;
    case 'Limit': {
      const per = chain.per.map((key) => ` per ${printName(key)}`).join('');
      return `limit ${target} to ${chain.count.raw} per ${chain.window.raw}${per}`;
    }
    case 'Grant': {
      let text = `grant ${target} to ${printPrincipal(chain.principal)}`;
      if (chain.duration) text += ` for ${chain.duration.raw}${chain.afterApproval ? ' after approval' : ''}`;
      if (chain.from) text += ` from ${printString(chain.from.value)}`;
      if (chain.until) text += ` until ${printString(chain.until.value)}`;
      return text;
    }
  }
}

function layOut(context: FormatContext, chain: Rule | LimitDecl | GrantDecl, head: string, clauses: readonly Clause[], indent: string): string[] {
  const { comments } = context;
  const headSlots = comments.get(chain.target);
  const out = headSlots.leading.map((comment) => commentLine(indent, comment));
  const dangling = comments.get(chain).dangling.map((comment) => commentLine(indent, comment));
  const commented = headSlots.trailing !== undefined || clauses.some((item) => comments.has(item.key));
  const flat = [indent + head, ...clauses.map((item) => item.flat)].join(' ');
  if (!commented && flat.length <= WIDTH) return [...out, flat, ...dangling];
  const items: PrintItem[] = clauses.map((item) => ({ key: item.key, span: item.span, render: item.render }));
  out.push(indent + head + trailingText(headSlots.trailing));
  out.push(...printItems(items, `${indent}  `, { comments, text: context.text, blankLines: 'none', dangling: [] }));
  return [...out, ...dangling];
}

/**
 * One test step at `indent`. `next` is the step after it, if any. A call longer than the width
 * keeps `call tool { args }` on its first line and fills continuation lines with its `at`,
 * `result` and `expect` parts.
 */
export function printStep(step: TestStep, next: TestStep | undefined, indent: string, verbatim: Verbatim): string[] {
  switch (step.kind) {
    case 'TestSetting': {
      const value = step.value;
      const text = value.kind === 'Name' ? printName(value) : value.kind === 'String' ? printString(value.value) : printObject(value, verbatim);
      return [`${indent}${step.setting} ${text}`];
    }
    case 'TestUser':
      return [`${indent}user ${printString(step.text.value)}`];
    case 'TestCall': {
      const head = `${indent}call ${printName(step.tool)}${step.args ? ` ${printObject(step.args, verbatim)}` : ''}`;
      const parts: string[] = [];
      if (step.at) parts.push(`at ${printString(step.at.value)}`);
      if (step.result) parts.push(`result ${printString(step.result.value)}`);
      if (step.expect) {
        const by = step.expectApprover ? ` by ${printName(step.expectApprover)}` : '';
        parts.push(`expect ${step.expect.effect}${by}${step.expectRule ? ` rule ${printName(step.expectRule)}` : ''}`);
      }
      // A call without these parts would take the time of a following `at "..."` step.
      if (parts.length === 0 && next?.kind === 'TestSetting' && next.setting === 'at') return [`${head};`];
      return fill(head, parts, `${indent}  `);
    }
    case 'Error':
      return [indent + verbatim(step.span)];
  }
}

/** `first` followed by `parts`, each joining the current line while it fits in the width. */
function fill(first: string, parts: readonly string[], indent: string): string[] {
  const lines = [first];
  for (const part of parts) {
    const current = lines[lines.length - 1]!;
    if (`${current} ${part}`.length <= WIDTH) lines[lines.length - 1] = `${current} ${part}`;
    else lines.push(indent + part);
  }
  return lines;
}

// Conditions that can never hold: numeric bounds on the same value that contradict each other
// within one `and` chain (`args.amount > 100 and args.amount < 50`), and hours or minutes out
// of their range (`time.hour == 25`).

import type { Expr, PathExpr } from './ast';
import { diagnostic, type Diagnostic } from './diagnostics';

interface Bounds {
  low: number;
  lowInclusive: boolean;
  high: number;
  highInclusive: boolean;
}

const RANGES: Readonly<Record<string, readonly [number, number]>> = { 'time.hour': [0, 23], 'time.minute': [0, 59] };

/** Reports impossible conditions in `expr`. */
export function findImpossibleConditions(expr: Expr, report: (d: Diagnostic) => void): void {
  for (const chain of andChains(expr)) {
    const bounds = new Map<string, Bounds>();
    for (const term of chain) {
      const bound = numericBound(term);
      if (!bound) continue;
      const range = RANGES[bound.path];
      const current = bounds.get(bound.path) ?? (range ? { low: range[0], lowInclusive: true, high: range[1], highInclusive: true } : { low: -Infinity, lowInclusive: false, high: Infinity, highInclusive: false });
      tighten(current, bound.op, bound.value);
      bounds.set(bound.path, current);
      if (current.low > current.high || (current.low === current.high && !(current.lowInclusive && current.highInclusive))) {
        report(diagnostic('impossibleCondition', term.span, `\`${bound.path}\` can never satisfy this together with the other conditions, so the rule never applies`));
        break;
      }
    }
  }
}

/** The maximal `and` chains of an expression (the terms of each conjunction). */
function andChains(expr: Expr): Expr[][] {
  const chains: Expr[][] = [];
  const visit = (node: Expr): void => {
    if (node.kind === 'Binary' && node.op === 'and') {
      const terms: Expr[] = [];
      const stack: Expr[] = [node];
      while (stack.length > 0) {
        const item = stack.pop()!;
        if (item.kind === 'Binary' && item.op === 'and') stack.push(item.right, item.left);
        else terms.push(item);
      }
      chains.push(terms);
      for (const term of terms) if (term.kind === 'Binary' && term.op === 'or') visit(term);
    } else if (node.kind === 'Binary' && node.op === 'or') {
      visit(node.left);
      visit(node.right);
    } else chains.push([node]);
  };
  visit(expr);
  return chains;
}

function pathKey(path: PathExpr): string {
  return [path.root.value, ...path.fields.map((field) => field.value)].join('.');
}

function numericBound(term: Expr): { path: string; op: string; value: number } | undefined {
  if (term.kind !== 'Binary') return undefined;
  const flip: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==' };
  if (!(term.op in flip)) return undefined;
  if (term.left.kind === 'Path' && term.right.kind === 'Number') return { path: pathKey(term.left), op: term.op, value: term.right.value };
  if (term.right.kind === 'Path' && term.left.kind === 'Number') return { path: pathKey(term.right), op: flip[term.op]!, value: term.left.value };
  return undefined;
}

function tighten(bounds: Bounds, op: string, value: number): void {
  const raiseLow = (low: number, inclusive: boolean): void => {
    if (low > bounds.low || (low === bounds.low && !inclusive)) Object.assign(bounds, { low, lowInclusive: inclusive });
  };
  const lowerHigh = (high: number, inclusive: boolean): void => {
    if (high < bounds.high || (high === bounds.high && !inclusive)) Object.assign(bounds, { high, highInclusive: inclusive });
  };
  if (op === '>') raiseLow(value, false);
  else if (op === '>=') raiseLow(value, true);
  else if (op === '<') lowerHigh(value, false);
  else if (op === '<=') lowerHigh(value, true);
  else if (op === '==') {
    raiseLow(value, true);
    lowerHigh(value, true);
  }
}

// Conditions that can never hold: numeric bounds on the same value that contradict each other
// within one `and` chain (`args.amount > 100 and args.amount < 50`), and hours or minutes out
// of their range (`time.hour == 25`).

import type { Expr, PathExpr } from './ast';
import { diagnostic, type Diagnostic } from './diagnostics';

interface Bounds {
  readonly path: string;
  low: number;
  lowInclusive: boolean;
  high: number;
  highInclusive: boolean;
}

const RANGES: Readonly<Record<string, readonly [number, number]>> = { 'time.hour': [0, 23], 'time.minute': [0, 59] };
const FLIP: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==' };

// Scratch stacks, reused by every call (the walk below never runs twice at once): the terms of
// the `and` chains being checked, and the stack that flattens a chain into them.
const terms: Expr[] = [];
const flattening: Expr[] = [];

/** Reports impossible conditions in `expr`. */
export function findImpossibleConditions(expr: Expr, report: (d: Diagnostic) => void): void {
  const base = terms.length;
  try {
    visit(expr, report);
  } finally {
    terms.length = base;
  }
}

/**
 * Checks the maximal `and` chains of an expression (the terms of each conjunction), each chain
 * before the chains of the `or` terms inside it.
 */
function visit(node: Expr, report: (d: Diagnostic) => void): void {
  if (node.kind === 'Binary' && node.op === 'and') {
    const start = terms.length;
    flattening.push(node);
    while (flattening.length > 0) {
      const item = flattening.pop()!;
      if (item.kind === 'Binary' && item.op === 'and') flattening.push(item.right, item.left);
      else terms.push(item);
    }
    const end = terms.length;
    checkChain(start, end, report);
    for (let i = start; i < end; i++) {
      const term = terms[i]!;
      if (term.kind === 'Binary' && term.op === 'or') visit(term, report);
    }
    terms.length = start;
  } else if (node.kind === 'Binary' && node.op === 'or') {
    visit(node.left, report);
    visit(node.right, report);
  } else {
    const start = terms.length;
    terms.push(node);
    checkChain(start, start + 1, report);
    terms.length = start;
  }
}

/** Checks the chain `terms[start..end)`: reports the first term that contradicts the ones before. */
function checkChain(start: number, end: number, report: (d: Diagnostic) => void): void {
  // One bound alone contradicts nothing, unless its value has a fixed range (`time.hour`).
  let bounded = 0;
  let ranged = false;
  for (let i = start; i < end && bounded < 2; i++) {
    const term = terms[i]!;
    if (term.kind !== 'Binary' || FLIP[term.op] === undefined) continue;
    const path = term.left.kind === 'Path' && term.right.kind === 'Number' ? term.left : term.right.kind === 'Path' && term.left.kind === 'Number' ? term.right : undefined;
    if (!path) continue;
    bounded++;
    ranged = path.root.value === 'time' && path.fields.length === 1 && (path.fields[0]!.value === 'hour' || path.fields[0]!.value === 'minute');
  }
  if (bounded === 0 || (bounded === 1 && !ranged)) return;
  let bounds: Bounds[] | undefined;
  for (let i = start; i < end; i++) {
    const term = terms[i]!;
    if (term.kind !== 'Binary' || FLIP[term.op] === undefined) continue;
    let path: string;
    let op: string;
    let value: number;
    if (term.left.kind === 'Path' && term.right.kind === 'Number') {
      path = pathKey(term.left);
      op = term.op;
      value = term.right.value;
    } else if (term.right.kind === 'Path' && term.left.kind === 'Number') {
      path = pathKey(term.right);
      op = FLIP[term.op]!;
      value = term.left.value;
    } else continue;
    bounds ??= [];
    let current = bounds.find((entry) => entry.path === path);
    if (!current) {
      const range = RANGES[path];
      current = range ? { path, low: range[0], lowInclusive: true, high: range[1], highInclusive: true } : { path, low: -Infinity, lowInclusive: false, high: Infinity, highInclusive: false };
      bounds.push(current);
    }
    tighten(current, op, value);
    if (current.low > current.high || (current.low === current.high && !(current.lowInclusive && current.highInclusive))) {
      report(diagnostic('impossibleCondition', term.span, `\`${path}\` can never satisfy this together with the other conditions, so the rule never applies`));
      break;
    }
  }
}

function pathKey(path: PathExpr): string {
  let key = path.root.value;
  for (const field of path.fields) key += `.${field.value}`;
  return key;
}

function raiseLow(bounds: Bounds, low: number, inclusive: boolean): void {
  if (low > bounds.low || (low === bounds.low && !inclusive)) {
    bounds.low = low;
    bounds.lowInclusive = inclusive;
  }
}

function lowerHigh(bounds: Bounds, high: number, inclusive: boolean): void {
  if (high < bounds.high || (high === bounds.high && !inclusive)) {
    bounds.high = high;
    bounds.highInclusive = inclusive;
  }
}

function tighten(bounds: Bounds, op: string, value: number): void {
  if (op === '>') raiseLow(bounds, value, false);
  else if (op === '>=') raiseLow(bounds, value, true);
  else if (op === '<') lowerHigh(bounds, value, false);
  else if (op === '<=') lowerHigh(bounds, value, true);
  else if (op === '==') {
    raiseLow(bounds, value, true);
    lowerHigh(bounds, value, true);
  }
}

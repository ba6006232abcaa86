// Comparisons of the most common shape, an argument or the local hour or minute against a
// constant written in the policy (`args.amount <= 100`, `args.to ~ "*@corp.example"`,
// `time.hour >= 9`), compiled to one closure each that reads its operand directly: no closure
// per operand and, for text patterns of the usual shapes, no matcher call. Anything they cannot
// decide (a value of an unexpected type) goes to the general operators, so answers and errors
// are those of the general compilation (compileConditions.ts).

import type { Expr } from '../language/ast';
import { globShape } from '../language/glob';
import type { EvalContext, TracedFact } from './program';
import { compareValues, matchesPattern, type Value } from './values';

export type Test = (context: EvalContext) => boolean;
type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** What a direct comparison reads: an argument slot, or a field of the event's local time. */
export type Operand = { readonly kind: 'arg'; readonly slot: number } | { readonly kind: 'time'; readonly field: 'hour' | 'minute' };

const TIME_FACT: TracedFact = Object.freeze({ kind: 'time' });

/** The operand of a path read directly, if the expression is one. */
export function directOperand(expr: Expr, argSlot: (name: string) => number): Operand | undefined {
  if (expr.kind !== 'Path' || expr.fields.length !== 1) return undefined;
  const field = expr.fields[0]!.value;
  if (expr.root.value === 'args') return { kind: 'arg', slot: argSlot(field) };
  if (expr.root.value === 'time' && (field === 'hour' || field === 'minute')) return { kind: 'time', field };
  return undefined;
}

/** `operand op constant` for a primitive constant (numbers only for the orderings). */
export function directComparison(operand: Operand, op: Comparison, constant: string | number | boolean | null): Test | undefined {
  if (operand.kind === 'time') return timeComparison(operand.field, op, constant);
  const slot = operand.slot;
  switch (op) {
    case '==':
      return (context) => context.arg(slot) === constant;
    case '!=':
      return (context) => context.arg(slot) !== constant;
  }
  if (typeof constant !== 'number') return undefined;
  switch (op) {
    case '<':
      return (context) => {
        const value = context.arg(slot);
        return typeof value === 'number' ? value < constant : compareValues(op, value, constant);
      };
    case '<=':
      return (context) => {
        const value = context.arg(slot);
        return typeof value === 'number' ? value <= constant : compareValues(op, value, constant);
      };
    case '>':
      return (context) => {
        const value = context.arg(slot);
        return typeof value === 'number' ? value > constant : compareValues(op, value, constant);
      };
    case '>=':
      return (context) => {
        const value = context.arg(slot);
        return typeof value === 'number' ? value >= constant : compareValues(op, value, constant);
      };
  }
}

/** The local hour or minute (always a number) against a constant. */
function timeComparison(field: 'hour' | 'minute', op: Comparison, constant: string | number | boolean | null): Test | undefined {
  const read = field === 'hour' ? (context: EvalContext) => context.localHour() : (context: EvalContext) => context.localMinute();
  switch (op) {
    case '==':
      return (context) => {
        context.trace?.(TIME_FACT);
        return read(context) === constant;
      };
    case '!=':
      return (context) => {
        context.trace?.(TIME_FACT);
        return read(context) !== constant;
      };
  }
  if (typeof constant !== 'number') return undefined;
  switch (op) {
    case '<':
      return (context) => {
        context.trace?.(TIME_FACT);
        return read(context) < constant;
      };
    case '<=':
      return (context) => {
        context.trace?.(TIME_FACT);
        return read(context) <= constant;
      };
    case '>':
      return (context) => {
        context.trace?.(TIME_FACT);
        return read(context) > constant;
      };
    case '>=':
      return (context) => {
        context.trace?.(TIME_FACT);
        return read(context) >= constant;
      };
  }
}

/** `args.x ~ "pattern"` (or `!~`) for one constant pattern; undefined for other operands. */
export function directPattern(operand: Operand, pattern: string, negate: boolean, match: (subject: string) => boolean): Test | undefined {
  if (operand.kind !== 'arg') return undefined;
  const slot = operand.slot;
  // Anything but text: the general operator's answer or error.
  const other = (value: Value): boolean => matchesPattern(value, pattern) !== negate;
  const shape = globShape(pattern);
  switch (shape.kind) {
    case 'prefix': {
      const prefix = shape.text;
      return (context) => {
        const value = context.arg(slot);
        return typeof value === 'string' ? value.startsWith(prefix) !== negate : other(value);
      };
    }
    case 'suffix': {
      const suffix = shape.text;
      return (context) => {
        const value = context.arg(slot);
        return typeof value === 'string' ? value.endsWith(suffix) !== negate : other(value);
      };
    }
    default:
      return (context) => {
        const value = context.arg(slot);
        return typeof value === 'string' ? match(value) !== negate : other(value);
      };
  }
}

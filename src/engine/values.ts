// Runtime values and the operators on them. A condition that cannot be evaluated on an event
// (comparing text with a number, matching a pattern against a list) throws ConditionError; the
// rule's effect then decides what that means (fail closed), never the operator.

import { compileGlob } from '../language/glob';

export type Value = string | number | boolean | null | readonly Value[] | { readonly [key: string]: Value };

/** A condition could not be evaluated on this event. */
export class ConditionError extends Error {}

/** Converts anything from an event into a condition value (undefined → null). */
export function toValue(raw: unknown): Value {
  if (raw === undefined) return null;
  return raw as Value;
}

/** Equality without coercion; lists and objects compare structurally. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const list = b as readonly Value[];
    return a.length === list.length && a.every((item: Value, i: number) => valuesEqual(item, list[i]!));
  }
  const left = a as { readonly [key: string]: Value };
  const right = b as { readonly [key: string]: Value };
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && valuesEqual(left[key]!, right[key]!));
}

/** `<`, `<=`, `>`, `>=`: both numbers or both strings, else an error. */
export function compareValues(op: '<' | '<=' | '>' | '>=', a: Value, b: Value): boolean {
  if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) {
    throw new ConditionError(`\`${op}\` cannot compare ${describeValue(a)} with ${describeValue(b)}`);
  }
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** `~`: text against a pattern or any of a list of patterns; a list on the left matches if any element does. */
export function matchesPattern(subject: Value, pattern: Value): boolean {
  if (Array.isArray(subject)) {
    // A list of texts matches if any does; a list holding anything else is an error, whatever its order.
    const bad = subject.find((item: Value) => typeof item !== 'string');
    if (bad !== undefined) throw new ConditionError(`\`~\` needs a list of texts on the left, but it holds ${describeValue(bad)}`);
    return subject.some((item: Value) => matchesPattern(item, pattern));
  }
  if (typeof subject !== 'string') throw new ConditionError(`\`~\` needs text on the left, not ${describeValue(subject)}`);
  if (typeof pattern === 'string') return compileGlob(pattern)(subject);
  if (Array.isArray(pattern)) {
    return pattern.some((item: Value) => {
      if (typeof item !== 'string') throw new ConditionError(`\`~\` needs patterns as text, not ${describeValue(item)}`);
      return compileGlob(item)(subject);
    });
  }
  throw new ConditionError(`\`~\` needs a pattern or a list of patterns, not ${describeValue(pattern)}`);
}

/** `in`: membership in a list; a list on the left is in if any element is. */
export function memberOf(item: Value, list: Value): boolean {
  if (!Array.isArray(list)) throw new ConditionError(`\`in\` needs a list on the right, not ${describeValue(list)}`);
  if (Array.isArray(item)) return item.some((element: Value) => memberOf(element, list));
  return list.some((element: Value) => valuesEqual(item, element));
}

/** A condition's result must be a boolean. */
export function asCondition(value: Value): boolean {
  if (typeof value !== 'boolean') throw new ConditionError(`a condition must be true or false, not ${describeValue(value)}`);
  return value;
}

/** A short rendering for explanations: `"GB29…"`, `150`, `null`, `a list of 3`. */
export function renderValue(value: Value, max = 60): string {
  if (value === null) return 'null';
  if (typeof value === 'string') {
    if (value.length + 2 <= max && plainText(value)) return `"${value}"`; // what JSON.stringify gives
    const text = JSON.stringify(value);
    return text.length <= max ? text : `${text.slice(0, max - 2)}…"`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = JSON.stringify(value);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Printable ASCII without quotes or backslashes: JSON.stringify only wraps it in quotes. */
function plainText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

function describeValue(value: Value): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'string' ? 'the text' : typeof value === 'number' ? 'the number' : 'the value'} ${renderValue(value, 30)}`;
}

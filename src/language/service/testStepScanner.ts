// Completion scanning of a test step: settings (`agent`, `on_behalf_of`, `context { }`, ...) and
// calls with their argument object, `at`, `result` and `expect ... [by group] [rule id]`.

import { TokenReader } from './tokenReader';
import { cont, keywords, names, NOTHING, want, type NameKind, type Scan, type Want } from './wants';

/** The wants at the end of a test step. */
export function scanTestStep(reader: TokenReader): Scan {
  const first = reader.next();
  if (!first) return cont({ kind: 'declarations', block: 'test' });
  const single = (of: NameKind | undefined): Scan => {
    if (reader.atEnd) return of ? want(names(of)) : NOTHING;
    reader.next();
    return cont();
  };
  switch (first.text) {
    case 'agent':
      return single('agent');
    case 'on_behalf_of':
      return single('human');
    case 'session':
    case 'at':
    case 'user':
      return single(undefined);
    case 'approvals':
      return reader.atEnd ? want(keywords('approve', 'reject')) : single(undefined);
    case 'context':
      if (!reader.eatPunct('{')) return NOTHING;
      return scanObject(reader, (used) => ({ kind: 'contextKeys', used }), () => undefined) ?? cont();
    case 'call':
      return scanCall(reader);
    default:
      return NOTHING;
  }
}

function scanCall(reader: TokenReader): Scan {
  if (reader.atEnd) return want(names('tool'));
  if (!reader.isName()) return NOTHING;
  const tool = reader.next()!.text;
  if (reader.eatPunct('{')) {
    const inside = scanObject(reader, (used) => ({ kind: 'callArguments', tool, used }), (argument) => ({ kind: 'argumentValues', tool, argument }));
    if (inside) return inside;
  }
  const modifiers = ['at', 'result', 'expect'];
  for (;;) {
    if (reader.atEnd) return cont(keywords(...modifiers));
    const word = reader.next()!.text;
    const index = modifiers.indexOf(word);
    if (index < 0) return NOTHING;
    modifiers.splice(0, index + 1);
    if (word === 'expect') return scanExpectation(reader);
    if (reader.atEnd) return NOTHING;
    reader.next();
  }
}

/** After `expect`: the decision, then `by group` for approvals, then `rule id`. */
function scanExpectation(reader: TokenReader): Scan {
  if (reader.atEnd) return want(keywords('allow', 'deny', 'approval'));
  const effect = reader.next()!.text;
  if (effect === 'approval') {
    if (reader.atEnd) return cont(keywords('by', 'rule'));
    if (reader.eatWord('by')) {
      if (reader.atEnd) return want(names('approver'));
      reader.next();
    }
  }
  if (reader.atEnd) return cont(keywords('rule'));
  if (!reader.eatWord('rule')) return NOTHING;
  if (reader.atEnd) return want(names('ruleId'));
  reader.next();
  return cont();
}

/**
 * Reads `key: value, ...}` after a `{`. Returns a scan when the cursor is inside the object,
 * undefined once the object is closed.
 */
function scanObject(reader: TokenReader, keysWant: (used: string[]) => Want, valueWant: (key: string) => Want | undefined): Scan | undefined {
  const used: string[] = [];
  for (;;) {
    if (reader.atEnd) return want(keysWant(used));
    if (reader.eatPunct('}')) return undefined;
    if (reader.eatPunct(',')) continue;
    if (!reader.isName()) return NOTHING;
    const key = reader.next()!.text;
    used.push(key);
    if (reader.atEnd || !reader.eatPunct(':')) return NOTHING;
    if (reader.atEnd) {
      const value = valueWant(key);
      return want(...(value ? [value] : []), keywords('true', 'false'));
    }
    if (!skipValue(reader)) return NOTHING;
  }
}

/** Skips a value up to the next `,` or `}` at its level; false when the cursor is inside it. */
function skipValue(reader: TokenReader): boolean {
  let depth = 0;
  while (!reader.atEnd) {
    const token = reader.peek()!;
    if (token.kind === 'Punct') {
      if (depth === 0 && (token.text === ',' || token.text === '}')) return true;
      if (token.text === '{' || token.text === '[' || token.text === '(') depth++;
      if (token.text === '}' || token.text === ']' || token.text === ')') depth--;
    }
    reader.next();
  }
  return false;
}

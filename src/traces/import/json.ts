// Reading spanned JSON trees (language/catalog/jsonTree) the way importers need: typed member
// access, JSON paths, and plain values built without ever touching a prototype.

import { describeJsonKind, member, type JsonNode, type JsonObject } from '../../language/catalog/jsonTree';

export { describeJsonKind, member, type JsonNode, type JsonObject } from '../../language/catalog/jsonTree';

/** Keys that name prototype machinery on ordinary objects. They are kept as own data. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function stringAt(node: JsonNode | undefined, key: string): string | undefined {
  const value = member(node, key);
  return value?.kind === 'string' ? value.value : undefined;
}

export function numberAt(node: JsonNode | undefined, key: string): number | undefined {
  const value = member(node, key);
  return value?.kind === 'number' ? value.value : undefined;
}

export function booleanAt(node: JsonNode | undefined, key: string): boolean | undefined {
  const value = member(node, key);
  return value?.kind === 'boolean' ? value.value : undefined;
}

export function objectAt(node: JsonNode | undefined, key: string): JsonObject | undefined {
  const value = member(node, key);
  return value?.kind === 'object' ? value : undefined;
}

export function arrayAt(node: JsonNode | undefined, key: string): readonly JsonNode[] | undefined {
  const value = member(node, key);
  return value?.kind === 'array' ? value.items : undefined;
}

/** `path.key`, or `path["odd key"]` when the key is not an identifier. */
export function pathKey(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function pathIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** Why a chat message with this `role` (absent, not a string, or not one the format has) is skipped. */
export function roleProblem(role: JsonNode | undefined): { kind: 'missingField' | 'wrongType'; message: string } {
  if (role === undefined) return { kind: 'missingField', message: 'missing `role`; the message is skipped' };
  const why = role.kind === 'string' ? `unknown role \`${role.value}\`` : `\`role\` should be a string, found ${describeJsonKind(role)}`;
  return { kind: 'wrongType', message: `${why}; the message is skipped` };
}

/** A short description of an unrecognised value for messages: `an object with keys a, b, c`. */
export function describeShape(node: JsonNode): string {
  if (node.kind !== 'object') return describeJsonKind(node);
  const keys = [...node.members.keys()];
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, 6).map((key) => `\`${key}\``).join(', ');
  return `an object with keys ${shown}${keys.length > 6 ? ', …' : ''}`;
}

/**
 * The plain JS value of a node. Objects are ordinary objects whose members are all own data
 * properties, as JSON.parse makes them: a `__proto__` member is defined, not assigned, so no
 * prototype changes. Iterative, so no nesting depth overflows the stack. `onReservedKey` hears
 * the path of every reserved key met.
 */
export function plainValue(root: JsonNode, rootPath = '$', onReservedKey?: (path: string, key: string) => void): unknown {
  const scalar = scalarOf(root);
  if (scalar !== NOT_SCALAR) return scalar;
  const top = root.kind === 'array' ? new Array<unknown>(root.items.length) : {};
  const stack: Array<{ node: JsonNode; target: unknown[] | Record<string, unknown>; path: string }> = [{ node: root, target: top, path: rootPath }];
  while (stack.length > 0) {
    const { node, target, path } = stack.pop()!;
    if (node.kind === 'array') {
      const items = target as unknown[];
      node.items.forEach((item, index) => {
        const value = scalarOf(item);
        if (value !== NOT_SCALAR) items[index] = value;
        else {
          const child = item.kind === 'array' ? new Array<unknown>(item.items.length) : {};
          items[index] = child;
          stack.push({ node: item, target: child, path: onReservedKey ? pathIndex(path, index) : path });
        }
      });
    } else if (node.kind === 'object') {
      const record = target as Record<string, unknown>;
      for (const [key, item] of node.members) {
        const value = scalarOf(item);
        let stored: unknown = value;
        if (value === NOT_SCALAR) {
          stored = item.kind === 'array' ? new Array<unknown>(item.items.length) : {};
          stack.push({ node: item, target: stored as Record<string, unknown>, path: onReservedKey ? pathKey(path, key) : path });
        }
        if (RESERVED_KEYS.has(key)) {
          Object.defineProperty(record, key, { value: stored, writable: true, enumerable: true, configurable: true });
          onReservedKey?.(pathKey(path, key), key);
        } else record[key] = stored;
      }
    }
  }
  return top;
}

const NOT_SCALAR = Symbol('not scalar');

function scalarOf(node: JsonNode): unknown {
  switch (node.kind) {
    case 'null':
      return null;
    case 'boolean':
    case 'number':
    case 'string':
      return node.value;
    default:
      return NOT_SCALAR;
  }
}

/** JSON.parse without throwing: the value, or the parser's message. */
export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Whether a value is a JSON object (not null, not an array). */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

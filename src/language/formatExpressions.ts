// The formatter's printers for everything that sits inside one line: names, strings, literals,
// types, tool and principal selectors, and expressions with the fewest parentheses that still
// make the parser build the same tree.

import type { BinaryExpr, Expr, FieldDecl, Name, ObjectLit, PrincipalSelector, Span, ToolSelector, TypeExpr } from './ast';
import { CLAUSE_WORDS } from './parserBase';

/** Text of a node the parser could not read, copied as written. */
export type Verbatim = (span: Span) => string;

/** One identifier token as the lexer reads it: `get_*`, `sales-intern`, `*_issue`. */
const IDENTIFIER = /^[A-Za-z_*](?:[A-Za-z0-9_*]|-(?=[A-Za-z0-9_*]))*$/;

/**
 * A name as written: bare when it was written bare and still reads back as the same single
 * identifier, quoted otherwise. A bare clause word (`args { to: string }`) stays bare: the
 * parser accepts it wherever a name cannot be followed by a clause; see `printNameList`.
 */
export function printName(name: Name): string {
  const readsBack = IDENTIFIER.test(name.value) && (name.glob || !name.value.includes('*'));
  return !name.quoted && readsBack ? name.value : printString(name.value);
}

/** A name where the parser takes no bare clause word (after `id`): such a name is quoted. */
export function printClauseName(name: Name): string {
  return !name.quoted && CLAUSE_WORDS.has(name.value) ? printString(name.value) : printName(name);
}

/**
 * `a` or `[a, b]` after `tool`, `label`, `for agent` and the like. One name goes without
 * brackets unless it is a bare clause word, which the parser only takes inside brackets there.
 */
export function printNameList(names: readonly Name[]): string {
  const only = names.length === 1 ? names[0]! : undefined;
  if (only && !(CLAUSE_WORDS.has(only.value) && !only.quoted)) return printName(only);
  return `[${names.map(printName).join(', ')}]`;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\0': '\\0' };

/** A string literal: the usual escapes, other control and invisible characters as `\u{..}`. */
export function printString(value: string): string {
  let out = '"';
  for (const char of value) {
    const escape = ESCAPES[char];
    if (escape !== undefined) {
      out += escape;
      continue;
    }
    const code = char.codePointAt(0)!;
    const invisible =
      code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff || (code >= 0xd800 && code <= 0xdfff);
    out += invisible ? `\\u{${code.toString(16)}}` : char;
  }
  return `${out}"`;
}

/** `string`, `list<int>`, `"open" | "closed" | 3`. */
export function printType(type: TypeExpr, verbatim: Verbatim): string {
  switch (type.kind) {
    case 'NamedType':
      return type.name.value; // a quoted type would read as a literal: always bare
    case 'ListType':
      return `list<${printType(type.element, verbatim)}>`;
    case 'LiteralUnionType':
      return type.members.map((member) => (member.kind === 'String' ? printString(member.value) : member.raw)).join(' | ');
    case 'ErrorType':
      return verbatim(type.span);
  }
}

/** `amount: number`, `note?: string`. */
export function printField(field: FieldDecl, verbatim: Verbatim): string {
  return `${printName(field.name)}${field.optional ? '?' : ''}: ${printType(field.type, verbatim)}`;
}

/** `tool send_money`, `tool [get_*, "mcp/x"]`, `label payment`, `any tool`. */
export function printTarget(target: ToolSelector, verbatim: Verbatim): string {
  switch (target.kind) {
    case 'ToolTarget':
      return `tool ${printNameList(target.tools)}`;
    case 'LabelTarget':
      return `label ${printNameList(target.labels)}`;
    case 'AnyToolTarget':
      return 'any tool';
    case 'MissingTarget':
      return verbatim(target.span);
  }
}

/** `agent "x"`, `role [a, b]` (the word before it, `for` or `to`, is the caller's). */
export function printPrincipal(principal: PrincipalSelector): string {
  return `${principal.principalKind} ${printNameList(principal.names)}`;
}

// --- expressions ---------------------------------------------------------------------------------

const OR = 1;
const AND = 2;
const NOT = 3;
const COMPARE = 4;
const PRIMARY = 5;

function precedence(expr: Expr): number {
  switch (expr.kind) {
    case 'Binary':
      return expr.op === 'or' ? OR : expr.op === 'and' ? AND : COMPARE;
    case 'Not':
      return NOT;
    case 'From':
      return COMPARE;
    default:
      return PRIMARY;
  }
}

/** An expression on one line, parenthesised only where precedence requires. */
export function printExpr(expr: Expr, verbatim: Verbatim): string {
  switch (expr.kind) {
    case 'Binary':
      return `${printOperand(expr, 'left', verbatim)} ${expr.op} ${printOperand(expr, 'right', verbatim)}`;
    case 'Not': {
      const operand = expr.operand;
      // `not (a == b)` reads better than `not a == b`, which parses the same; `not (in)` keeps a
      // set called `in` from reading as the `not in` operator.
      const wrap = operand.kind === 'Binary' || operand.kind === 'From' || (operand.kind === 'SetRef' && operand.name.value === 'in');
      const text = printExpr(operand, verbatim);
      return `not ${wrap ? `(${text})` : text}`;
    }
    case 'From':
      return `${parenthesize(expr.value, precedence(expr.value) < PRIMARY, verbatim)} from ${printTarget(expr.source, verbatim)}`;
    case 'Path':
      return [expr.root.value, ...expr.fields.map(printName)].join('.');
    case 'SetRef':
      return expr.name.value; // a quoted set name would read as a string
    case 'String':
      return printString(expr.value);
    case 'Number':
      return expr.raw;
    case 'Duration':
      return expr.raw;
    case 'Bool':
      return expr.value ? 'true' : 'false';
    case 'Null':
      return 'null';
    case 'List':
      return `[${expr.items.map((item) => printExpr(item, verbatim)).join(', ')}]`;
    case 'Object':
      return printObject(expr, verbatim);
    case 'ErrorExpr':
      return verbatim(expr.span);
  }
}

/** `{ amount: 5, to: "x" }`, or `{}`. */
export function printObject(object: ObjectLit, verbatim: Verbatim): string {
  if (object.entries.length === 0) return '{}';
  return `{ ${object.entries.map((entry) => `${printName(entry.key)}: ${printExpr(entry.value, verbatim)}`).join(', ')} }`;
}

/**
 * One side of a binary expression. `and` and `or` chain to the left, so a right operand of
 * the same operator needs parentheses; comparison operands are single values.
 */
export function printOperand(expr: BinaryExpr, side: 'left' | 'right', verbatim: Verbatim): string {
  const own = precedence(expr);
  const operand = side === 'left' ? expr.left : expr.right;
  const inner = precedence(operand);
  const needed = own === COMPARE ? inner < PRIMARY : side === 'left' ? inner < own : inner <= own;
  return parenthesize(operand, needed, verbatim);
}

function parenthesize(expr: Expr, needed: boolean, verbatim: Verbatim): string {
  const text = printExpr(expr, verbatim);
  return needed ? `(${text})` : text;
}

/**
 * `prefix` and a condition within `width` columns when it fits; otherwise the top-level chain
 * of `and` or `or` is broken before each operator, continuation lines indented two further.
 */
export function printCondition(prefix: string, expr: Expr, indent: string, width: number, verbatim: Verbatim): string[] {
  const flat = `${indent}${prefix}${printExpr(expr, verbatim)}`;
  if (flat.length <= width || expr.kind !== 'Binary' || (expr.op !== 'and' && expr.op !== 'or')) return [flat];
  const op = expr.op;
  const operands: string[] = [];
  let node: BinaryExpr = expr;
  for (;;) {
    operands.unshift(printOperand(node, 'right', verbatim));
    const left = node.left;
    if (left.kind !== 'Binary' || left.op !== op) break;
    node = left;
  }
  operands.unshift(printOperand(node, 'left', verbatim));
  const [first, ...rest] = operands;
  return [`${indent}${prefix}${first}`, ...rest.map((operand) => `${indent}  ${op} ${operand}`)];
}

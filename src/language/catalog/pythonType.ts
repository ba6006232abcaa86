// Python type annotations as AgentDojo writes them (`str`, `list[str]`, `int | None`,
// `Optional[float]`, `Literal["a", "b"]`) → catalog types. Anything else is `any` plus a reason.

import { ANY, MAX_TYPE_DEPTH, enumType, unifyTypes, type CatalogType } from './catalogModel';

export interface PythonTypeMapping {
  readonly type: CatalogType;
  /** The annotation admits `None` (`X | None`, `Optional[X]`). */
  readonly nullable: boolean;
  /** Why (part of) the annotation became `any`; undefined when fully mapped. */
  readonly problem?: string;
}

type PyToken =
  | { readonly kind: 'name'; readonly text: string }
  | { readonly kind: 'literal'; readonly value: string | number }
  | { readonly kind: 'punct'; readonly text: '[' | ']' | ',' | '|' }
  | { readonly kind: 'end' };

const SCALARS: ReadonlyMap<string, CatalogType> = new Map<string, CatalogType>([
  ['str', { kind: 'string' }],
  ['float', { kind: 'number' }],
  ['int', { kind: 'int' }],
  ['bool', { kind: 'bool' }],
  ['dict', { kind: 'object' }],
  ['Dict', { kind: 'object' }],
  ['Mapping', { kind: 'object' }],
  ['Any', ANY],
]);
const LISTS = new Set(['list', 'List', 'Sequence', 'set', 'Set', 'frozenset', 'Iterable', 'tuple', 'Tuple']);

/** Maps a Python annotation string to a catalog type. Total: never throws. */
export function mapPythonType(annotation: string): PythonTypeMapping {
  const tokens = tokenize(annotation);
  if (!tokens) return unsupported(`cannot read the type \`${annotation}\``);
  const parser = new PyTypeParser(tokens);
  const result = parser.parseUnion(0);
  if (!parser.atEnd()) return unsupported(`cannot read the type \`${annotation}\``);
  return result;
}

function tokenize(text: string): PyToken[] | undefined {
  const tokens: PyToken[] = [];
  const pattern = /([A-Za-z_][A-Za-z0-9_.]*)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(-?[0-9]+(?:\.[0-9]+)?)|([[\],|])/y;
  let pos = 0;
  for (;;) {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
    if (pos >= text.length) break;
    pattern.lastIndex = pos;
    const match = pattern.exec(text);
    if (!match) return undefined;
    pos = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'name', text: match[1].replace(/^typing\./, '') });
    else if (match[2] !== undefined) tokens.push({ kind: 'literal', value: match[2].slice(1, -1).replace(/\\(.)/g, '$1') });
    else if (match[3] !== undefined) tokens.push({ kind: 'literal', value: Number(match[3]) });
    else tokens.push({ kind: 'punct', text: match[4] as '[' | ']' | ',' | '|' });
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

class PyTypeParser {
  private pos = 0;

  constructor(private readonly tokens: readonly PyToken[]) {}

  atEnd(): boolean {
    return this.tokens[this.pos]?.kind === 'end';
  }

  /** union = primary { "|" primary } */
  parseUnion(depth: number): PythonTypeMapping {
    const members = [this.parsePrimary(depth)];
    while (this.eat('|')) members.push(this.parsePrimary(depth));
    return combine(members);
  }

  /** primary = name [ "[" union { "," union } "]" ] | literal */
  private parsePrimary(depth: number): PythonTypeMapping {
    const token = this.tokens[this.pos] ?? { kind: 'end' };
    if (depth >= MAX_TYPE_DEPTH) return this.skipRest(`the type nests deeper than ${MAX_TYPE_DEPTH} levels`);
    if (token.kind === 'literal') {
      this.pos++;
      return { type: enumType([token.value]), nullable: false };
    }
    if (token.kind !== 'name') return this.skipRest('expected a type name');
    this.pos++;
    const params = this.eat('[') ? this.parseParams(depth + 1) : undefined;
    if (params && !this.eat(']')) return this.skipRest('expected `]`');
    return applyName(token.text, params);
  }

  private parseParams(depth: number): PythonTypeMapping[] {
    const params = [this.parseUnion(depth)];
    while (this.eat(',')) {
      if (this.peekPunct(']')) break;
      params.push(this.parseUnion(depth));
    }
    return params;
  }

  private eat(text: string): boolean {
    if (!this.peekPunct(text)) return false;
    this.pos++;
    return true;
  }

  private peekPunct(text: string): boolean {
    const token = this.tokens[this.pos];
    return token?.kind === 'punct' && token.text === text;
  }

  /** Gives up on the annotation: moves to the end so the caller sees a problem, not a loop. */
  private skipRest(problem: string): PythonTypeMapping {
    this.pos = this.tokens.length - 1;
    return unsupported(problem);
  }
}

/** The meaning of `name[params]`. */
function applyName(name: string, params: PythonTypeMapping[] | undefined): PythonTypeMapping {
  if (name === 'None') return NONE;
  const firstProblem = params?.find((param) => param.problem !== undefined)?.problem;
  if (name === 'Optional') {
    const inner = params?.length === 1 ? params[0]! : unsupported('`Optional` takes one type');
    return { ...inner, nullable: true };
  }
  if (name === 'Union') return params ? combine(params) : unsupported('`Union` without types');
  if (name === 'Literal') {
    if (!params || firstProblem !== undefined || !params.every((param) => param.type.kind === 'enum' || isNoneOnly(param))) {
      return unsupported('`Literal` with values other than strings and numbers');
    }
    return combine(params);
  }
  const scalar = SCALARS.get(name);
  if (scalar) return { type: scalar, nullable: false }; // dict[str, int]: parameters do not matter
  if (LISTS.has(name)) {
    const element = params?.[0];
    if (!element) return { type: { kind: 'list', element: ANY }, nullable: false };
    return {
      type: { kind: 'list', element: element.type },
      nullable: false,
      ...(element.problem !== undefined ? { problem: `list elements: ${element.problem}` } : {}),
    };
  }
  return unsupported(`unknown type \`${name}\``);
}

/** `A | B | None`: nullable when any member is None; one type when the others agree. */
function combine(members: readonly PythonTypeMapping[]): PythonTypeMapping {
  if (members.length === 1) return members[0]!;
  const problem = members.find((member) => member.problem !== undefined)?.problem;
  if (problem !== undefined) return unsupported(problem);
  const nullable = members.some((member) => member.nullable);
  const types = members.filter((member) => !isNoneOnly(member)).map((member) => member.type);
  if (types.length === 0) return { type: ANY, nullable };
  const unified = unifyTypes(types);
  if (!unified) return unsupported('a union of different types');
  return { type: unified, nullable };
}

/** `None` on its own: contributes nullability, not a type. */
const NONE: PythonTypeMapping = { type: ANY, nullable: true };

function isNoneOnly(mapping: PythonTypeMapping): boolean {
  return mapping === NONE;
}

function unsupported(problem: string): PythonTypeMapping {
  return { type: ANY, nullable: false, problem };
}

// Binding: what a set of parsed files declares. The symbol table of a file's scope (the file and
// everything it imports, transitively) is what the checker, the language service and the
// engine's compiler read; they never walk declarations to find a name themselves.

import type {
  AgentDecl,
  ContextDecl,
  Declaration,
  FieldDecl,
  GrantDecl,
  HumanDecl,
  LabelDecl,
  LimitDecl,
  Name,
  RoleDecl,
  Rule,
  SetDecl,
  SourceFile,
  TestDecl,
  TimezoneDecl,
  ToolDecl,
  ToolSelector,
  TypeExpr,
} from './ast';
import { compileGlob } from './glob';

/** A declaration together with the file it is in. */
export interface Located<T> {
  readonly file: string;
  readonly node: T;
}

/** Value types of the language, as the checker reasons about them. */
export type ValueType =
  | { readonly kind: 'string' | 'number' | 'int' | 'bool' | 'object' | 'any' | 'null' | 'duration' | 'weekday' }
  | { readonly kind: 'list'; readonly element: ValueType }
  | { readonly kind: 'enum'; readonly values: readonly (string | number)[] };

export interface ToolSymbol {
  readonly name: string;
  readonly declaration: Located<ToolDecl>;
  readonly args: ReadonlyMap<string, { readonly type: ValueType; readonly optional: boolean; readonly field: FieldDecl }>;
  /** The tool's own labels plus those `label x = ...` declarations give it. */
  readonly labels: ReadonlySet<string>;
}

/** Any rule-like declaration, with its id and the role it sits in. */
export interface RuleSymbol {
  /** The explicit `id`, or a generated one: `<file>:<line>` of the rule. */
  readonly id: string;
  readonly explicitId: boolean;
  readonly file: string;
  readonly node: Rule | LimitDecl | GrantDecl;
  readonly role: string | undefined;
}

export interface SymbolTable {
  readonly files: readonly string[];
  readonly tools: ReadonlyMap<string, ToolSymbol>;
  /** Every label name: declared by `label` or carried by a tool. */
  readonly labels: ReadonlyMap<string, { readonly declarations: readonly Located<LabelDecl>[]; readonly tools: ReadonlySet<string> }>;
  readonly agents: ReadonlyMap<string, Located<AgentDecl>>;
  readonly humans: ReadonlyMap<string, Located<HumanDecl>>;
  readonly roles: ReadonlyMap<string, Located<RoleDecl>>;
  readonly sets: ReadonlyMap<string, Located<SetDecl>>;
  readonly context: ReadonlyMap<string, Located<FieldDecl>> | undefined;
  readonly contextDeclarations: readonly Located<ContextDecl>[];
  readonly timezones: readonly Located<TimezoneDecl>[];
  readonly rules: readonly RuleSymbol[];
  readonly tests: readonly Located<TestDecl>[];
  /** Every declaration of the scope in file order, for duplicate detection. */
  readonly declarations: readonly Located<Declaration>[];
}

/** Resolves an import path written in `from` against the importing file's folder. */
export function resolveImportPath(from: string, written: string): string {
  const base = written.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const part of written.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') base.pop();
    else base.push(part);
  }
  return base.join('/');
}

/** The file and every file it imports, transitively, that exists in `files` (entry first). */
export function importClosure(entry: string, files: ReadonlyMap<string, SourceFile>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const path = stack.pop()!;
    if (seen.has(path)) continue;
    const file = files.get(path);
    if (!file) continue;
    seen.add(path);
    order.push(path);
    for (const declaration of file.declarations) {
      if (declaration.kind === 'Import') stack.push(resolveImportPath(path, declaration.path.value));
    }
  }
  return order;
}

/** Converts a written type to a value type; unknown names become `any` (the checker reports them). */
export function typeOf(type: TypeExpr): ValueType {
  switch (type.kind) {
    case 'NamedType': {
      const name = type.name.value;
      return name === 'string' || name === 'number' || name === 'int' || name === 'bool' || name === 'object' || name === 'any'
        ? { kind: name }
        : { kind: 'any' };
    }
    case 'ListType':
      return { kind: 'list', element: typeOf(type.element) };
    case 'LiteralUnionType':
      return { kind: 'enum', values: type.members.map((member) => member.value) };
    case 'ErrorType':
      return { kind: 'any' };
  }
}

/** Builds the symbol table of the given files (normally one import closure). */
export function bindSymbols(paths: readonly string[], files: ReadonlyMap<string, SourceFile>): SymbolTable {
  const toolDecls: Located<ToolDecl>[] = [];
  const labelDecls: Located<LabelDecl>[] = [];
  const agents = new Map<string, Located<AgentDecl>>();
  const humans = new Map<string, Located<HumanDecl>>();
  const roles = new Map<string, Located<RoleDecl>>();
  const sets = new Map<string, Located<SetDecl>>();
  const contextDeclarations: Located<ContextDecl>[] = [];
  const timezones: Located<TimezoneDecl>[] = [];
  const rules: RuleSymbol[] = [];
  const tests: Located<TestDecl>[] = [];
  const declarations: Located<Declaration>[] = [];
  const firstWins = <T>(map: Map<string, T>, name: Name, value: T): void => {
    if (!map.has(name.value)) map.set(name.value, value);
  };

  for (const path of paths) {
    const file = files.get(path);
    if (!file) continue;
    for (const node of file.declarations) {
      declarations.push({ file: path, node });
      switch (node.kind) {
        case 'Tool':
          toolDecls.push({ file: path, node });
          break;
        case 'Label':
          labelDecls.push({ file: path, node });
          break;
        case 'Agent':
          firstWins(agents, node.name, { file: path, node });
          break;
        case 'Human':
          firstWins(humans, node.name, { file: path, node });
          break;
        case 'Role':
          firstWins(roles, node.name, { file: path, node });
          for (const rule of node.rules) {
            if (rule.kind !== 'Error') rules.push(ruleSymbol(file, rule, node.name.value));
          }
          break;
        case 'Set':
          firstWins(sets, node.name, { file: path, node });
          break;
        case 'Context':
          contextDeclarations.push({ file: path, node });
          break;
        case 'Timezone':
          timezones.push({ file: path, node });
          break;
        case 'Rule':
        case 'Limit':
        case 'Grant':
          rules.push(ruleSymbol(file, node, undefined));
          break;
        case 'Test':
          tests.push({ file: path, node });
          break;
        case 'Import':
        case 'Error':
          break;
      }
    }
  }

  const tools = bindTools(toolDecls, labelDecls);
  const labels = new Map<string, { declarations: Located<LabelDecl>[]; tools: Set<string> }>();
  const labelEntry = (name: string) => {
    let entry = labels.get(name);
    if (!entry) labels.set(name, (entry = { declarations: [], tools: new Set() }));
    return entry;
  };
  for (const declaration of labelDecls) labelEntry(declaration.node.name.value).declarations.push(declaration);
  for (const tool of tools.values()) for (const label of tool.labels) labelEntry(label).tools.add(tool.name);

  let context: Map<string, Located<FieldDecl>> | undefined;
  if (contextDeclarations.length > 0) {
    context = new Map();
    for (const declaration of contextDeclarations) {
      for (const field of declaration.node.fields) firstWins(context, field.name, { file: declaration.file, node: field });
    }
  }
  return { files: paths, tools, labels, agents, humans, roles, sets, context, contextDeclarations, timezones, rules, tests, declarations };
}

function bindTools(toolDecls: readonly Located<ToolDecl>[], labelDecls: readonly Located<LabelDecl>[]): Map<string, ToolSymbol> {
  const tools = new Map<string, ToolSymbol>();
  for (const declaration of toolDecls) {
    const tool = declaration.node;
    if (tools.has(tool.name.value) || tool.name.value === '') continue;
    const args = new Map<string, { type: ValueType; optional: boolean; field: FieldDecl }>();
    for (const field of tool.args) {
      if (!args.has(field.name.value)) args.set(field.name.value, { type: typeOf(field.type), optional: field.optional, field });
    }
    tools.set(tool.name.value, { name: tool.name.value, declaration, args, labels: new Set(tool.labels.map((label) => label.value)) });
  }
  for (const { node } of labelDecls) {
    for (const pattern of node.tools) {
      for (const name of matchToolNames(pattern.value, tools.keys())) (tools.get(name)!.labels as Set<string>).add(node.name.value);
    }
  }
  return tools;
}

/** Tool names matching an exact name or glob pattern. */
export function matchToolNames(pattern: string, names: Iterable<string>): string[] {
  const match = compileGlob(pattern);
  const found: string[] = [];
  for (const name of names) if (match(name)) found.push(name);
  return found;
}

/** The tools a selector covers, in catalog order. */
export function resolveSelector(selector: ToolSelector, symbols: SymbolTable): ToolSymbol[] {
  switch (selector.kind) {
    case 'AnyToolTarget':
      return [...symbols.tools.values()];
    case 'MissingTarget':
      return [];
    case 'ToolTarget': {
      const names = new Set<string>();
      for (const pattern of selector.tools) for (const name of matchToolNames(pattern.value, symbols.tools.keys())) names.add(name);
      return [...symbols.tools.values()].filter((tool) => names.has(tool.name));
    }
    case 'LabelTarget': {
      const wanted = selector.labels.map((label) => label.value);
      return [...symbols.tools.values()].filter((tool) => wanted.some((label) => tool.labels.has(label)));
    }
  }
}

function ruleSymbol(file: SourceFile, node: Rule | LimitDecl | GrantDecl, role: string | undefined): RuleSymbol {
  if (node.id) return { id: node.id.value, explicitId: true, file: file.path, node, role };
  return { id: `${file.path}:${lineOf(file, node.span.start)}`, explicitId: false, file: file.path, node, role };
}

const lineStartsCache = new WeakMap<SourceFile, number[]>();

/** 1-based line of an offset, by binary search over the file's cached line starts. */
function lineOf(file: SourceFile, offset: number): number {
  let starts = lineStartsCache.get(file);
  if (!starts) {
    starts = [0];
    for (let i = file.text.indexOf('\n'); i >= 0; i = file.text.indexOf('\n', i + 1)) starts.push(i + 1);
    lineStartsCache.set(file, starts);
  }
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/** A readable rendering of a value type, for messages and hover. */
export function describeType(type: ValueType): string {
  switch (type.kind) {
    case 'list':
      return `list<${describeType(type.element)}>`;
    case 'enum':
      return type.values.map((value) => JSON.stringify(value)).join(' | ');
    default:
      return type.kind;
  }
}

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
import { compileGlob, isGlob } from './glob';

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
  /** Every declaration of the scope in file order. */
  readonly declarations: readonly Located<Declaration>[];
  /**
   * Names declared more than once in the scope, keyed `<kind> <name>` (`Tool send_money`,
   * `RuleId r1`), each with every occurrence in scope order.
   */
  readonly duplicates: ReadonlyMap<string, readonly Located<Name>[]>;
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
    for (const target of importsOf(path, file)) stack.push(target);
  }
  return order;
}

// The resolved imports of each parsed file, in file order (a parsed file never changes).
const fileImports = new WeakMap<SourceFile, { readonly path: string; readonly targets: readonly string[] }>();

function importsOf(path: string, file: SourceFile): readonly string[] {
  const cached = fileImports.get(file);
  if (cached?.path === path) return cached.targets;
  const targets: string[] = [];
  for (const declaration of file.declarations) {
    if (declaration.kind === 'Import') targets.push(resolveImportPath(path, declaration.path.value));
  }
  fileImports.set(file, { path, targets });
  return targets;
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

/**
 * Builds the symbol table of the given files (normally one import closure), binding them in
 * the order given: the first declaration of a name wins, later ones are duplicates.
 *
 * Scopes overlap (every policy file imports the same catalog, each test file the policy it
 * tests), so the work is shared: each file is bound once (`bindFile`), and the state after each
 * prefix of files is kept (`ScopeState`, a trie keyed by the parsed files), so a scope costs
 * only what its last files add, not the size of everything it imports.
 */
export function bindSymbols(paths: readonly string[], files: ReadonlyMap<string, SourceFile>): SymbolTable {
  let state = EMPTY_SCOPE;
  for (const path of paths) {
    const file = files.get(path);
    if (!file) continue;
    let next = state.children.get(file);
    if (next?.path !== path) {
      next = new ScopeState(state, bindFile(path, file));
      state.children.set(file, next);
    }
    state = next;
  }
  const { tools, labels } = state.catalog();
  const table: SymbolTable = {
    files: paths,
    tools,
    labels,
    agents: state.agents,
    humans: state.humans,
    roles: state.roles,
    sets: state.sets,
    context: state.context(),
    contextDeclarations: state.contextDeclarations,
    timezones: state.timezones,
    rules: state.rules,
    tests: state.tests,
    // Only the language service reads every declaration: gathered when first asked for.
    get declarations() {
      return state.declarations();
    },
    duplicates: state.duplicates(),
  };
  tableStates.set(table, state);
  return table;
}

// The binding state each table was built from, for `hasRuleId`.
const tableStates = new WeakMap<SymbolTable, ScopeState>();
const ruleIdsByRules = new WeakMap<readonly RuleSymbol[], ReadonlySet<string>>();

/** Whether a rule of the scope has the id (explicit or generated): each file's ids are gathered once. */
export function hasRuleId(symbols: SymbolTable, id: string): boolean {
  const state = tableStates.get(symbols);
  if (state?.rules !== symbols.rules) {
    let ids = ruleIdsByRules.get(symbols.rules);
    if (!ids) ruleIdsByRules.set(symbols.rules, (ids = new Set(symbols.rules.map((rule) => rule.id))));
    return ids.has(id);
  }
  for (let layer: ScopeState | undefined = state; layer?.bound; layer = layer.parent) if (fileHasRuleId(layer.bound, id)) return true;
  return false;
}

/** Whether a rule of the file has the id: an explicit one, or `<file>:<line>` of one without. */
function fileHasRuleId(bound: BoundFile, id: string): boolean {
  if (bound.rules.length === 0) return false;
  if (id === '') return bound.rules.some((rule) => rule.id === id); // never recorded as an occurrence
  if (bound.occurrences.get('RuleId')?.has(id)) return true;
  const lines = bound.implicitLines;
  const prefix = bound.idPrefix;
  if (lines.length === 0 || id.length <= prefix.length + 1 || !id.startsWith(prefix) || id.charCodeAt(prefix.length) !== 58 /* : */) return false;
  // `<file>:<line>`: a line number as written by `ruleSymbol`, then a binary search.
  let line = 0;
  for (let i = prefix.length + 1; i < id.length; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9 || (digit === 0 && line === 0)) return false;
    line = line * 10 + digit;
  }
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (lines[middle]! < line) low = middle + 1;
    else high = middle;
  }
  return low < lines.length && lines[low] === line;
}

/** What one file declares, independent of the scope it is bound in. */
interface BoundFile {
  readonly path: string;
  readonly declarations: readonly Located<Declaration>[];
  /** The file's rules, limits and grants (top level and inside roles), in file order. */
  readonly rules: readonly RuleSymbol[];
  readonly toolDecls: readonly Located<ToolDecl>[];
  readonly labelDecls: readonly Located<LabelDecl>[];
  readonly agents: readonly Located<AgentDecl>[];
  readonly humans: readonly Located<HumanDecl>[];
  readonly roles: readonly Located<RoleDecl>[];
  readonly sets: readonly Located<SetDecl>[];
  readonly contextDeclarations: readonly Located<ContextDecl>[];
  readonly timezones: readonly Located<TimezoneDecl>[];
  readonly tests: readonly Located<TestDecl>[];
  /**
   * The names the file declares, by kind (`Tool`, `RuleId`, ..., see `SymbolTable.duplicates`)
   * and name, numbered in the order they are first met (rule ids first, then declaration names):
   * entry `i` of `occurrenceKinds` and `firstOccurrences` is the kind and first node of name `i`;
   * `moreOccurrences` has every node of the names the file repeats.
   */
  readonly occurrences: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly occurrenceKinds: readonly string[];
  readonly firstOccurrences: readonly Name[];
  readonly moreOccurrences: ReadonlyMap<number, readonly Located<Name>[]> | undefined;
  /** The path generated rule ids start with (the parsed file's), and the lines of the rules without an explicit id, in order. */
  readonly idPrefix: string;
  readonly implicitLines: readonly number[];
}

/** Every occurrence in the file of its name number `index`, in order. */
function occurrencesOf(bound: BoundFile, index: number): readonly Located<Name>[] {
  return bound.moreOccurrences?.get(index) ?? [{ file: bound.path, node: bound.firstOccurrences[index]! }];
}

// Every scope that imports a file reuses its bound declarations (a parsed file never changes),
// so binding N files that import one big catalog does not redo the catalog N times.
const boundFiles = new WeakMap<SourceFile, BoundFile>();

function bindFile(path: string, file: SourceFile): BoundFile {
  const cached = boundFiles.get(file);
  if (cached?.path === path) return cached;
  const declarations: Located<Declaration>[] = [];
  const rules: RuleSymbol[] = [];
  const toolDecls: Located<ToolDecl>[] = [];
  const labelDecls: Located<LabelDecl>[] = [];
  const agents: Located<AgentDecl>[] = [];
  const humans: Located<HumanDecl>[] = [];
  const roles: Located<RoleDecl>[] = [];
  const sets: Located<SetDecl>[] = [];
  const contextDeclarations: Located<ContextDecl>[] = [];
  const timezones: Located<TimezoneDecl>[] = [];
  const tests: Located<TestDecl>[] = [];
  const occurrences = new Map<string, Map<string, number>>();
  const occurrenceKinds: string[] = [];
  const firstOccurrences: Name[] = [];
  let moreOccurrences: Map<number, Located<Name>[]> | undefined;
  const occur = (kind: string, name: Name): void => {
    if (name.value === '') return;
    let names = occurrences.get(kind);
    if (!names) occurrences.set(kind, (names = new Map()));
    const index = names.get(name.value);
    if (index === undefined) {
      names.set(name.value, firstOccurrences.length);
      occurrenceKinds.push(kind);
      firstOccurrences.push(name);
    } else {
      moreOccurrences ??= new Map();
      let list = moreOccurrences.get(index);
      if (!list) moreOccurrences.set(index, (list = [{ file: path, node: firstOccurrences[index]! }]));
      list.push({ file: path, node: name });
    }
  };
  const lines = new LineCounter(file.text);
  const implicitLines: number[] = [];
  for (const node of file.declarations) {
    declarations.push({ file: path, node });
    if (node.kind === 'Role') {
      for (const rule of node.rules) if (rule.kind !== 'Error') rules.push(ruleSymbol(file, rule, node.name.value, lines, implicitLines));
    } else if (node.kind === 'Rule' || node.kind === 'Limit' || node.kind === 'Grant') rules.push(ruleSymbol(file, node, undefined, lines, implicitLines));
  }
  for (const rule of rules) if (rule.node.id) occur('RuleId', rule.node.id);
  for (const located of declarations) {
    const node = located.node;
    switch (node.kind) {
      case 'Tool':
        occur('Tool', node.name);
        toolDecls.push(located as Located<ToolDecl>);
        break;
      case 'Label':
        labelDecls.push(located as Located<LabelDecl>);
        break;
      case 'Agent':
        occur('Agent', node.name);
        agents.push(located as Located<AgentDecl>);
        break;
      case 'Human':
        occur('Human', node.name);
        humans.push(located as Located<HumanDecl>);
        break;
      case 'Role':
        occur('Role', node.name);
        roles.push(located as Located<RoleDecl>);
        break;
      case 'Set':
        occur('Set', node.name);
        sets.push(located as Located<SetDecl>);
        break;
      case 'Context':
        contextDeclarations.push(located as Located<ContextDecl>);
        break;
      case 'Timezone':
        timezones.push(located as Located<TimezoneDecl>);
        break;
      case 'Test':
        occur('Test', { kind: 'Name', span: node.name.span, value: node.name.value, quoted: true, glob: false });
        tests.push(located as Located<TestDecl>);
        break;
      case 'Rule':
      case 'Limit':
      case 'Grant':
      case 'Import':
      case 'Error':
        break;
    }
  }
  const bound = { path, declarations, rules, toolDecls, labelDecls, agents, humans, roles, sets, contextDeclarations, timezones, tests, occurrences, occurrenceKinds, firstOccurrences, moreOccurrences, idPrefix: file.path, implicitLines };
  boundFiles.set(file, bound);
  return bound;
}

// Orders duplicate keys by where they first occur: file depth in the scope, then key index.
const FILE_ORDER = 2 ** 26;

/**
 * The binding of a prefix of a scope's files: what the files so far declare. Extending it by a
 * file copies only what that file adds to (a map or list it leaves alone is shared with the
 * shorter prefix), and each extension is kept in `children`, so scopes sharing a prefix share
 * its state. States are never modified once built; the tables handed out share their maps.
 */
class ScopeState {
  readonly children = new WeakMap<SourceFile, ScopeState>();
  readonly path: string;
  readonly depth: number;
  readonly toolDecls: readonly Located<ToolDecl>[];
  readonly labelDecls: readonly Located<LabelDecl>[];
  readonly agents: ReadonlyMap<string, Located<AgentDecl>>;
  readonly humans: ReadonlyMap<string, Located<HumanDecl>>;
  readonly roles: ReadonlyMap<string, Located<RoleDecl>>;
  readonly sets: ReadonlyMap<string, Located<SetDecl>>;
  readonly contextDeclarations: readonly Located<ContextDecl>[];
  readonly timezones: readonly Located<TimezoneDecl>[];
  readonly rules: readonly RuleSymbol[];
  readonly tests: readonly Located<TestDecl>[];
  private declarationList: readonly Located<Declaration>[] | undefined;
  /** Keys declared more than once so far: every occurrence, and where the first is (see FILE_ORDER). */
  readonly repeated: ReadonlyMap<string, { readonly order: number; readonly list: readonly Located<Name>[] }>;
  private boundCatalog: BoundCatalog | undefined;
  private contextMap: Map<string, Located<FieldDecl>> | undefined;
  private duplicateMap: Map<string, Located<Name>[]> | undefined;

  constructor(
    readonly parent: ScopeState | undefined,
    readonly bound: BoundFile | undefined,
  ) {
    this.path = bound?.path ?? '';
    this.depth = parent ? parent.depth + 1 : 0;
    if (!parent || !bound) {
      this.toolDecls = this.labelDecls = this.contextDeclarations = this.timezones = this.rules = this.tests = this.declarationList = [];
      this.agents = this.humans = this.roles = this.sets = new Map();
      this.repeated = new Map();
      return;
    }
    this.toolDecls = appended(parent.toolDecls, bound.toolDecls);
    this.labelDecls = appended(parent.labelDecls, bound.labelDecls);
    this.agents = withFirst(parent.agents, bound.agents);
    this.humans = withFirst(parent.humans, bound.humans);
    this.roles = withFirst(parent.roles, bound.roles);
    this.sets = withFirst(parent.sets, bound.sets);
    this.contextDeclarations = appended(parent.contextDeclarations, bound.contextDeclarations);
    this.timezones = appended(parent.timezones, bound.timezones);
    this.rules = appended(parent.rules, bound.rules);
    this.tests = appended(parent.tests, bound.tests);
    let repeated = parent.repeated;
    for (let index = 0; index < bound.firstOccurrences.length; index++) {
      const kind = bound.occurrenceKinds[index]!;
      const name = bound.firstOccurrences[index]!.value;
      let order = this.depth * FILE_ORDER + index;
      let list = bound.moreOccurrences?.get(index);
      const known = parent.repeated.size > 0 ? parent.repeated.get(`${kind} ${name}`) : undefined;
      if (known) {
        order = known.order;
        list = known.list.concat(occurrencesOf(bound, index));
      } else {
        // Not repeated before this file: the name occurs at most once in the prefix.
        for (let state: ScopeState | undefined = parent; state?.bound; state = state.parent) {
          const earlier = state.bound.occurrences.get(kind)?.get(name);
          if (earlier !== undefined) {
            order = state.depth * FILE_ORDER + earlier;
            list = occurrencesOf(state.bound, earlier).concat(occurrencesOf(bound, index));
            break;
          }
        }
        if (!list) continue; // once in the scope so far
      }
      if (repeated === parent.repeated) repeated = new Map(parent.repeated);
      (repeated as Map<string, { order: number; list: readonly Located<Name>[] }>).set(`${kind} ${name}`, { order, list });
    }
    this.repeated = repeated;
  }

  /** Every declaration of the files so far, in order. */
  declarations(): readonly Located<Declaration>[] {
    return (this.declarationList ??= appended(this.parent!.declarations(), this.bound!.declarations));
  }

  catalog(): BoundCatalog {
    if (!this.boundCatalog) {
      const parent = this.parent;
      this.boundCatalog =
        parent && parent.toolDecls === this.toolDecls && parent.labelDecls === this.labelDecls ? parent.catalog() : bindCatalog(this.toolDecls, this.labelDecls);
    }
    return this.boundCatalog;
  }

  context(): Map<string, Located<FieldDecl>> | undefined {
    if (this.contextDeclarations.length === 0) return undefined;
    if (!this.contextMap) {
      const parent = this.parent;
      if (parent && parent.contextDeclarations === this.contextDeclarations) this.contextMap = parent.context();
      else {
        const context = new Map<string, Located<FieldDecl>>();
        for (const declaration of this.contextDeclarations) {
          for (const field of declaration.node.fields) {
            if (!context.has(field.name.value)) context.set(field.name.value, { file: declaration.file, node: field });
          }
        }
        this.contextMap = context;
      }
    }
    return this.contextMap;
  }

  duplicates(): Map<string, Located<Name>[]> {
    if (!this.duplicateMap) {
      const parent = this.parent;
      if (parent && parent.repeated === this.repeated) this.duplicateMap = parent.duplicates();
      else {
        const entries = [...this.repeated].sort(([, a], [, b]) => a.order - b.order);
        this.duplicateMap = new Map(entries.map(([key, { list }]) => [key, list as Located<Name>[]]));
      }
    }
    return this.duplicateMap;
  }
}

const EMPTY_SCOPE = new ScopeState(undefined, undefined);

/** `items` then `more`; `items` itself when there is nothing more. */
function appended<T>(items: readonly T[], more: readonly T[]): readonly T[] {
  return more.length === 0 ? items : items.concat(more);
}

/** `map` plus the named declarations not in it yet (the first declaration of a name wins). */
function withFirst<T extends Located<{ readonly name: Name }>>(map: ReadonlyMap<string, T>, declarations: readonly T[]): ReadonlyMap<string, T> {
  if (declarations.length === 0) return map;
  const result = new Map(map);
  for (const declaration of declarations) if (!result.has(declaration.node.name.value)) result.set(declaration.node.name.value, declaration);
  return result;
}

interface BoundCatalog {
  readonly toolDecls: readonly Located<ToolDecl>[];
  readonly labelDecls: readonly Located<LabelDecl>[];
  readonly tools: ReadonlyMap<string, ToolSymbol>;
  readonly labels: SymbolTable['labels'];
}

// Scopes with the same tool and label declarations (every file importing one catalog) share
// one bound catalog. Keyed by the first declaration; entries compare their declarations.
const boundCatalogs = new WeakMap<object, BoundCatalog[]>();

function bindCatalog(toolDecls: readonly Located<ToolDecl>[], labelDecls: readonly Located<LabelDecl>[]): BoundCatalog {
  const key = toolDecls[0] ?? labelDecls[0];
  const candidates = key ? (boundCatalogs.get(key) ?? []) : [];
  const same = (a: readonly object[], b: readonly object[]): boolean => a.length === b.length && a.every((item, i) => item === b[i]);
  const found = candidates.find((entry) => same(entry.toolDecls, toolDecls) && same(entry.labelDecls, labelDecls));
  if (found) return found;
  const tools = bindTools(toolDecls, labelDecls);
  const labels = new Map<string, { declarations: Located<LabelDecl>[]; tools: Set<string> }>();
  const labelEntry = (name: string) => {
    let entry = labels.get(name);
    if (!entry) labels.set(name, (entry = { declarations: [], tools: new Set() }));
    return entry;
  };
  for (const declaration of labelDecls) labelEntry(declaration.node.name.value).declarations.push(declaration);
  for (const tool of tools.values()) for (const label of tool.labels) labelEntry(label).tools.add(tool.name);
  const bound = { toolDecls: [...toolDecls], labelDecls: [...labelDecls], tools, labels };
  if (key) boundCatalogs.set(key, [...candidates.slice(-7), bound]);
  return bound;
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
  return [...selectTools(selector, symbols)];
}

const NO_TOOLS: readonly ToolSymbol[] = [];

/** As `resolveSelector`, without the copy: the array is cached and shared, never modify it. */
export function selectTools(selector: ToolSelector, symbols: SymbolTable): readonly ToolSymbol[] {
  switch (selector.kind) {
    case 'AnyToolTarget': {
      const cache = catalogCache(symbols.tools);
      return (cache.all ??= [...symbols.tools.values()]);
    }
    case 'MissingTarget':
      return NO_TOOLS;
    case 'ToolTarget': {
      const cache = catalogCache(symbols.tools);
      const patterns = selector.tools;
      if (patterns.length === 1) {
        // One name or pattern, the common case: its matches are already in catalog order.
        const pattern = patterns[0]!.value;
        let found = cache.toolSelections.get(pattern);
        if (!found) {
          if (isGlob(pattern)) found = toolNamesMatching(pattern, symbols.tools).map((name) => symbols.tools.get(name)!);
          else {
            const tool = symbols.tools.get(pattern);
            found = tool ? [tool] : NO_TOOLS;
          }
          cache.toolSelections.set(pattern, found);
        }
        return found;
      }
      // A list (each list is written once, so it is resolved, not cached): exact names are
      // looked up, only globs scan the catalog (once per pattern, cached).
      const found = listScratch;
      let count = 0;
      for (const pattern of patterns) {
        if (isGlob(pattern.value)) for (const name of toolNamesMatching(pattern.value, symbols.tools)) found[count++] = symbols.tools.get(name)!;
        else {
          const tool = symbols.tools.get(pattern.value);
          if (tool) found[count++] = tool;
        }
      }
      const kept = count < 2 ? count : sortOnce(found, count, catalogPositions(symbols.tools, cache), symbols.tools);
      const tools = found.slice(0, kept);
      (found as unknown[]).fill(undefined, 0, count); // so the scratch holds on to no catalog
      return tools;
    }
    case 'LabelTarget':
      return cachedSelection(catalogCache(symbols.tools), `label\u0000${selector.labels.map((name) => name.value).join('\u0000')}`, () => labelledTools(selector.labels, symbols));
  }
}

// Rules repeat selectors (`label pii`, `tool get_*`) and scopes share catalogs (see
// `bindCatalog`), so each distinct selector is resolved once per catalog, not once per rule.
// Per catalog: each tool's position, the tools each glob pattern matches (so rules with the same
// pattern do not rescan the catalog), and the resolved selectors.
interface CatalogCache {
  positions: ReadonlyMap<string, number> | undefined;
  /** The tool names sorted, and sorted by their reversal, to find those with a given prefix or suffix. */
  byPrefix: readonly string[] | undefined;
  bySuffix: readonly string[] | undefined;
  all: readonly ToolSymbol[] | undefined;
  /** Each label's tools as bits by catalog position (null: it names a tool outside the catalog). */
  readonly labelBits: Map<string, Uint32Array | null>;
  readonly globMatches: Map<string, readonly string[]>;
  /** Selectors of one tool name or pattern, by it. */
  readonly toolSelections: Map<string, readonly ToolSymbol[]>;
  /** Other selectors, by kind and names. */
  readonly selections: Map<string, readonly ToolSymbol[]>;
}

const catalogCaches = new WeakMap<ReadonlyMap<string, ToolSymbol>, CatalogCache>();

function catalogCache(tools: ReadonlyMap<string, ToolSymbol>): CatalogCache {
  let cache = catalogCaches.get(tools);
  if (!cache) catalogCaches.set(tools, (cache = { positions: undefined, byPrefix: undefined, bySuffix: undefined, all: undefined, labelBits: new Map(), globMatches: new Map(), toolSelections: new Map(), selections: new Map() }));
  return cache;
}

function cachedSelection(cache: CatalogCache, key: string, resolve: () => readonly ToolSymbol[]): readonly ToolSymbol[] {
  let found = cache.selections.get(key);
  if (!found) cache.selections.set(key, (found = resolve()));
  return found;
}

/** Names of the catalog's tools matching an exact name or glob, in catalog order (cached). */
export function toolNamesMatching(pattern: string, tools: ReadonlyMap<string, ToolSymbol>): readonly string[] {
  const cache = catalogCache(tools);
  let found = cache.globMatches.get(pattern);
  if (!found) cache.globMatches.set(pattern, (found = matchCatalog(pattern, tools, cache)));
  return found;
}

/**
 * `matchToolNames` over a catalog, without testing every tool: a pattern's text before its
 * first wildcard (or after its last) is a prefix (or suffix) every match has, and the tools
 * with it are one range of the names sorted (or sorted by their reversal).
 */
function matchCatalog(pattern: string, tools: ReadonlyMap<string, ToolSymbol>, cache: CatalogCache): string[] {
  if (!isGlob(pattern)) return tools.has(pattern) ? [pattern] : [];
  let first = 0;
  while (first < pattern.length && !isWildcard(pattern.charCodeAt(first))) first++;
  let last = pattern.length - 1;
  while (last >= 0 && !isWildcard(pattern.charCodeAt(last))) last--;
  const prefixLength = first;
  const suffixLength = pattern.length - 1 - last;
  if (prefixLength === 0 && suffixLength === 0) return matchToolNames(pattern, tools.keys());
  const match = compileGlob(pattern);
  const found: string[] = [];
  if (prefixLength >= suffixLength) {
    const prefix = pattern.slice(0, prefixLength);
    const sorted = (cache.byPrefix ??= [...tools.keys()].sort());
    for (let i = lowerBound(sorted.length, (index) => sorted[index]! < prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) {
      if (match(sorted[i]!)) found.push(sorted[i]!);
    }
  } else {
    const suffix = pattern.slice(pattern.length - suffixLength);
    const sorted = (cache.bySuffix ??= [...tools.keys()].sort(compareReversed));
    for (let i = lowerBound(sorted.length, (index) => compareReversed(sorted[index]!, suffix) < 0); i < sorted.length && sorted[i]!.endsWith(suffix); i++) {
      if (match(sorted[i]!)) found.push(sorted[i]!);
    }
  }
  if (found.length < 2) return found;
  const order = catalogPositions(tools, cache);
  if (found.length > 32) return found.sort((a, b) => order.get(a)! - order.get(b)!);
  for (let i = 1; i < found.length; i++) {
    const name = found[i]!;
    const position = order.get(name)!;
    let j = i - 1;
    while (j >= 0 && order.get(found[j]!)! > position) {
      found[j + 1] = found[j]!;
      j--;
    }
    found[j + 1] = name;
  }
  return found;
}

function isWildcard(c: number): boolean {
  return c === 42 /* * */ || c === 63; /* ? */
}

/** Orders strings as their reversals would sort: by last character first. */
function compareReversed(a: string, b: string): number {
  for (let i = a.length - 1, j = b.length - 1; i >= 0 && j >= 0; i--, j--) {
    const difference = a.charCodeAt(i) - b.charCodeAt(j);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

/** The first index in [0, length) for which `before` is false (`before` holds for a prefix of the indexes). */
function lowerBound(length: number, before: (index: number) => boolean): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (before(middle)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Each tool's position in its catalog (cached per catalog). */
export function catalogPositions(tools: ReadonlyMap<string, ToolSymbol>, cache: CatalogCache = catalogCache(tools)): ReadonlyMap<string, number> {
  if (!cache.positions) {
    const positions = new Map<string, number>();
    for (const name of tools.keys()) positions.set(name, positions.size);
    cache.positions = positions;
  }
  return cache.positions;
}

/** The tools carrying any of the labels, in catalog order. */
function labelledTools(labels: readonly Name[], symbols: SymbolTable): ToolSymbol[] {
  const cache = catalogCache(symbols.tools);
  const all = (cache.all ??= [...symbols.tools.values()]);
  const words = (all.length + 31) >>> 5;
  if (unionBits.length < words) unionBits = new Uint32Array(words * 2);
  unionBits.fill(0, 0, words);
  for (const label of labels) {
    const bits = labelBits(label.value, symbols, cache);
    if (bits === null) {
      // A table not built by `bindSymbols` may name tools outside its catalog: as the union, sorted.
      const names = new Set<string>();
      for (const each of labels) for (const name of symbols.labels.get(each.value)?.tools ?? []) names.add(name);
      return inCatalogOrder(names, symbols);
    }
    if (bits) for (let word = 0; word < words; word++) unionBits[word]! |= bits[word]!;
  }
  const found = listScratch;
  let count = 0;
  for (let word = 0; word < words; word++) {
    for (let bits = unionBits[word]!; bits !== 0; bits &= bits - 1) found[count++] = all[(word << 5) + 31 - Math.clz32(bits & -bits)]!;
  }
  const tools = found.slice(0, count);
  (found as unknown[]).fill(undefined, 0, count);
  return tools;
}

// The union of the labels of a label selector, as bits by catalog position.
let unionBits = new Uint32Array(8);

/** A label's tools as bits by catalog position; undefined when it has none, null when one is not in the catalog. */
function labelBits(label: string, symbols: SymbolTable, cache: CatalogCache): Uint32Array | null | undefined {
  const names = symbols.labels.get(label)?.tools;
  if (!names || names.size === 0) return undefined;
  let bits = cache.labelBits.get(label);
  if (bits === undefined) {
    const positions = catalogPositions(symbols.tools, cache);
    bits = new Uint32Array((symbols.tools.size + 31) >>> 5);
    for (const name of names) {
      const position = positions.get(name);
      if (position === undefined) {
        bits = null;
        break;
      }
      bits[position >>> 5]! |= 1 << (position & 31);
    }
    cache.labelBits.set(label, bits);
  }
  return bits;
}

// The tools of a list selector are gathered here, then copied out at their exact size; `marks`
// flags catalog positions while sorting many (all zero between calls).
const listScratch: ToolSymbol[] = [];
let marks = new Uint8Array(256);

/** Puts `tools[0..count)` in catalog order, each once, in place; returns how many there are. */
function sortOnce(tools: ToolSymbol[], count: number, positions: ReadonlyMap<string, number>, catalog: ReadonlyMap<string, ToolSymbol>): number {
  if (count > 16) {
    // Many: mark their positions, then read the catalog's tools at the marked ones in order.
    const all = (catalogCache(catalog).all ??= [...catalog.values()]);
    if (marks.length < all.length) marks = new Uint8Array(all.length * 2);
    for (let i = 0; i < count; i++) marks[positions.get(tools[i]!.name)!] = 1;
    let kept = 0;
    for (let position = 0; position < all.length; position++) {
      if (marks[position] === 1) {
        marks[position] = 0;
        tools[kept++] = all[position]!;
      }
    }
    return kept;
  }
  // Few: insertion sort, then drop repeats.
  for (let i = 1; i < count; i++) {
    const tool = tools[i]!;
    const position = positions.get(tool.name)!;
    let j = i - 1;
    while (j >= 0 && positions.get(tools[j]!.name)! > position) {
      tools[j + 1] = tools[j]!;
      j--;
    }
    tools[j + 1] = tool;
  }
  let kept = 1;
  for (let i = 1; i < count; i++) if (tools[i] !== tools[kept - 1]) tools[kept++] = tools[i]!;
  return kept;
}

/** The named tools of a scope, in catalog order. */
function inCatalogOrder(names: ReadonlySet<string>, symbols: SymbolTable): ToolSymbol[] {
  if (names.size === 0) return [];
  if (names.size > 8) {
    // Many names: one pass over the catalog is cheaper than sorting them.
    const found: ToolSymbol[] = [];
    for (const tool of symbols.tools.values()) if (names.has(tool.name)) found.push(tool);
    if (found.length === names.size) return found;
  }
  const order = catalogPositions(symbols.tools, catalogCache(symbols.tools));
  return [...names].sort((a, b) => order.get(a)! - order.get(b)!).map((name) => symbols.tools.get(name)!);
}

function ruleSymbol(file: SourceFile, node: Rule | LimitDecl | GrantDecl, role: string | undefined, lines: LineCounter, implicitLines: number[]): RuleSymbol {
  if (node.id) return { id: node.id.value, explicitId: true, file: file.path, node, role };
  const line = lines.lineAt(node.span.start);
  implicitLines.push(line);
  return { id: `${file.path}:${line}`, explicitId: false, file: file.path, node, role };
}

/** 1-based lines of offsets in a text, counted forward from the last offset asked about. */
class LineCounter {
  private offset = 0;
  private line = 1;

  constructor(private readonly text: string) {}

  lineAt(offset: number): number {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
    }
    for (let i = this.text.indexOf('\n', this.offset); i >= 0 && i < offset; i = this.text.indexOf('\n', i + 1)) this.line++;
    this.offset = offset;
    return this.line;
  }
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

/** A value type with its indefinite article, for messages: `an int`, `a string`. */
export function aType(type: ValueType): string {
  const text = describeType(type);
  return `${/^[aeiou]/.test(text) ? 'an' : 'a'} ${text}`;
}

// The tool catalog as importers produce it and the renderer writes it: names, argument types and
// labels, independent of the source format (MCP `tools/list`, AgentDojo `tools.json`).

import { diagnostic, type Diagnostic, type DiagnosticKind } from '../diagnostics';
import type { Span } from '../ast';

/** An argument type, as the language writes it: `string`, `list<int>`, `"open" | "closed"`. */
export type CatalogType =
  | { readonly kind: 'string' | 'number' | 'int' | 'bool' | 'object' | 'any' }
  | { readonly kind: 'list'; readonly element: CatalogType }
  | { readonly kind: 'enum'; readonly values: readonly (string | number)[] };

export interface CatalogArg {
  readonly name: string;
  /** True when a call may leave the argument out (or, for nullable schemas, pass null). */
  readonly optional: boolean;
  readonly type: CatalogType;
}

export interface CatalogTool {
  readonly name: string;
  /** The full description from the source; the renderer shortens it. */
  readonly description?: string;
  readonly args: readonly CatalogArg[];
  readonly labels: readonly string[];
}

/** What every importer returns: the tools it could read and a diagnostic for everything else. */
export interface CatalogImportResult {
  readonly value: CatalogTool[];
  readonly diagnostics: Diagnostic[];
}

/** Labels the MCP importer derives from tool annotations. */
export const MCP_LABELS = {
  readOnly: 'read_only',
  write: 'write',
  destructive: 'destructive',
  idempotent: 'idempotent',
  openWorld: 'open_world',
} as const;

/** Types nested deeper than this (list of list of ...) become `any`; the parser allows 64. */
export const MAX_TYPE_DEPTH = 32;

export const ANY: CatalogType = { kind: 'any' };

/** Whether two catalog types are the same type. */
export function sameType(a: CatalogType, b: CatalogType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'list' && b.kind === 'list') return sameType(a.element, b.element);
  if (a.kind === 'enum' && b.kind === 'enum') {
    return a.values.length === b.values.length && a.values.every((value, i) => value === b.values[i]);
  }
  return true;
}

/**
 * The one type that covers all alternatives of a union (`anyOf`, `Union[...]`), when there is
 * one the language can write: all the same type, `int` with `number` (→ `number`), or literal
 * values only (→ their union). Undefined otherwise.
 */
export function unifyTypes(types: readonly CatalogType[]): CatalogType | undefined {
  const first = types[0];
  if (first === undefined) return undefined;
  if (types.every((type) => sameType(type, first))) return first;
  if (types.every((type) => type.kind === 'int' || type.kind === 'number')) return { kind: 'number' };
  if (types.every((type) => type.kind === 'enum')) {
    return enumType(types.flatMap((type) => (type.kind === 'enum' ? type.values : [])));
  }
  return undefined;
}

/** A literal-union type with duplicates removed (first occurrence kept). */
export function enumType(values: readonly (string | number)[]): CatalogType {
  const seen = new Set<string | number>();
  const unique: (string | number)[] = [];
  for (const value of values) {
    if (seen.has(value)) continue;
    seen.add(value);
    unique.push(value);
  }
  return { kind: 'enum', values: unique };
}

/** Collects diagnostics for one imported file, stamping each with the file's path. */
export class ImportReporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly file: string | undefined) {}

  report(kind: DiagnosticKind, span: Span, message: string, help?: string, severity?: Diagnostic['severity']): void {
    this.diagnostics.push(
      diagnostic(kind, span, message, {
        ...(this.file !== undefined ? { file: this.file } : {}),
        ...(help !== undefined ? { help } : {}),
        ...(severity !== undefined ? { severity } : {}),
      }),
    );
  }
}

/** The GH4001 diagnostic for a JSON syntax error at `span`. */
export function invalidJsonDiagnostic(error: { readonly message: string; readonly span: Span }, file?: string): Diagnostic {
  const reporter = new ImportReporter(file);
  reporter.report('importInvalidJson', error.span, `invalid JSON: ${error.message}`);
  return reporter.diagnostics[0]!;
}

/** Counts how many tools carry each label, in first-seen order (for summaries). */
export function countLabels(tools: readonly CatalogTool[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const tool of tools) {
    for (const label of tool.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return counts;
}

// A workspace: the policy files an editor, the CLI or the engine works on, parsed and checked
// on demand with caching. A file's scope is itself plus its transitive imports.

import type { SourceFile } from './ast';
import { checkFile } from './checker';
import { sortDiagnostics, type Diagnostic } from './diagnostics';
import { parse, type ParseResult } from './parser';
import { bindSymbols, importClosure, type SymbolTable } from './symbols';

export interface FileCheck {
  readonly file: SourceFile;
  /** The symbols of the file's scope (the file and its transitive imports). */
  readonly symbols: SymbolTable;
  /** Parse and check diagnostics located in this file, sorted. */
  readonly diagnostics: readonly Diagnostic[];
}

export class Workspace {
  private readonly texts = new Map<string, string>();
  private readonly parses = new Map<string, ParseResult>();
  private readonly checks = new Map<string, FileCheck>();
  private readonly symbolCache = new Map<string, SymbolTable>();
  /** Every parsed file by path, as `sourceFiles` returns it; rebuilt after a change. */
  private files: ReadonlyMap<string, SourceFile> | undefined;

  constructor(files?: Iterable<readonly [string, string]>) {
    if (files) for (const [path, text] of files) this.texts.set(path, text);
  }

  paths(): string[] {
    return [...this.texts.keys()].sort();
  }

  text(path: string): string | undefined {
    return this.texts.get(path);
  }

  setFile(path: string, text: string): void {
    if (this.texts.get(path) === text) return;
    this.texts.set(path, text);
    this.parses.delete(path);
    this.invalidateChecks();
  }

  removeFile(path: string): void {
    if (!this.texts.delete(path)) return;
    this.parses.delete(path);
    this.invalidateChecks();
  }

  /** The parse of one file (cached until its text changes). */
  parsed(path: string): ParseResult | undefined {
    let result = this.parses.get(path);
    if (result) return result;
    const text = this.texts.get(path);
    if (text === undefined) return undefined;
    result = parse(text, path);
    this.parses.set(path, result);
    return result;
  }

  /** Every parsed file, by path. */
  sourceFiles(): Map<string, SourceFile> {
    const files = new Map<string, SourceFile>();
    for (const path of this.texts.keys()) files.set(path, this.parsed(path)!.value);
    return files;
  }

  /** The symbol table of a file's scope. */
  symbols(path: string): SymbolTable | undefined {
    return this.check(path)?.symbols;
  }

  /** Parse + check one file within its scope (cached until any file changes). */
  check(path: string): FileCheck | undefined {
    const cached = this.checks.get(path);
    if (cached) return cached;
    const parsed = this.parsed(path);
    if (!parsed) return undefined;
    const files = (this.files ??= this.sourceFiles());
    // Bound in path order, so a scope's table is the same whichever of its files asked first.
    const closure = importClosure(path, files).sort();
    const key = closure.join('\n');
    let symbols = this.symbolCache.get(key);
    if (!symbols) {
      symbols = bindSymbols(closure, files);
      this.symbolCache.set(key, symbols);
    }
    const diagnostics = sortDiagnostics([...parsed.diagnostics, ...checkFile(parsed.value, symbols, files)]);
    const result: FileCheck = { file: parsed.value, symbols, diagnostics };
    this.checks.set(path, result);
    return result;
  }

  /** Diagnostics of every file, sorted by file then position. */
  diagnostics(): Diagnostic[] {
    return sortDiagnostics(this.paths().flatMap((path) => this.check(path)!.diagnostics));
  }

  private invalidateChecks(): void {
    this.files = undefined;
    this.checks.clear();
    this.symbolCache.clear();
  }
}

/** Checks a set of files (path → text); the diagnostics of all of them, sorted. */
export function checkWorkspace(files: Iterable<readonly [string, string]>): { value: Workspace; diagnostics: Diagnostic[] } {
  const workspace = new Workspace(files);
  return { value: workspace, diagnostics: workspace.diagnostics() };
}

// What every language feature reads about one file: its parse, its scope's symbols and access
// to the other workspace files.

import type { SourceFile } from '../ast';
import type { SymbolTable } from '../symbols';

export interface ServiceScope {
  readonly file: SourceFile;
  /** The symbols of the file's scope (the file and its transitive imports). */
  readonly symbols: SymbolTable;
  /** Every file of the workspace. */
  readonly paths: readonly string[];
  /** The text of a workspace file, undefined when there is no such file. */
  readonly textOf: (path: string) => string | undefined;
}

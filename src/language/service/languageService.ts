// The language service: editor features over a workspace of `.gate` files. Each feature lives in
// its own module; this one keeps the workspace and hands each feature the file's scope.

import { Workspace } from '../workspace';
import { codeActions } from './codeActions';
import { completions } from './completions';
import { definition } from './definition';
import { documentSymbols } from './documentSymbols';
import { formatEdits } from './formatting';
import { hover } from './hover';
import type { ServiceScope } from './serviceScope';
import type { LanguageService } from './types';

/** Creates a language service over an empty workspace; fill it with `setFiles` or `updateFile`. */
export function createLanguageService(): LanguageService {
  const workspace = new Workspace();

  const scopeOf = (file: string): ServiceScope | undefined => {
    const checked = workspace.check(file);
    if (!checked) return undefined;
    return { file: checked.file, symbols: checked.symbols, paths: workspace.paths(), textOf: (path) => workspace.text(path) };
  };

  return {
    setFiles(files) {
      for (const path of workspace.paths()) if (!files.has(path)) workspace.removeFile(path);
      for (const [path, text] of files) workspace.setFile(path, text);
    },
    updateFile: (file, text) => workspace.setFile(file, text),
    removeFile: (file) => workspace.removeFile(file),
    diagnostics: (file) => workspace.check(file)?.diagnostics ?? [],
    completions(file, offset) {
      const scope = scopeOf(file);
      return scope ? completions({ ...scope, offset }, scope.file.text) : [];
    },
    hover(file, offset) {
      const scope = scopeOf(file);
      return scope && hover(scope, offset);
    },
    definition(file, offset) {
      const scope = scopeOf(file);
      return scope ? definition(scope, offset) : [];
    },
    symbols(file) {
      const checked = workspace.check(file);
      return checked ? documentSymbols(checked.file) : [];
    },
    format(file) {
      const text = workspace.text(file);
      return text === undefined ? [] : formatEdits(file, text);
    },
    codeActions(file, span) {
      const checked = workspace.check(file);
      return checked ? codeActions(file, checked.file.text, checked.diagnostics, span) : [];
    },
  };
}

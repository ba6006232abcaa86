// Reading `.gate` files named on the command line: directories are searched recursively, and
// the files they import are loaded too, so each file is checked within its whole scope.

import { relative, resolve, sep } from 'node:path';
import { parse } from '../language/parser';
import { resolveImportPath } from '../language/symbols';
import type { CliIo } from './io';

export interface LoadedFiles {
  /** Workspace path (relative to the working directory, `/`-separated) → text. */
  readonly files: Map<string, string>;
  /** The files the user named or that were found in named directories, in order. */
  readonly requested: string[];
  /** Problems reading the named paths, one line each. */
  readonly errors: string[];
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist']);

/** Loads the `.gate` files under `paths`, plus every file they import that exists. */
export async function loadGateFiles(paths: readonly string[], io: CliIo): Promise<LoadedFiles> {
  const files = new Map<string, string>();
  const requested: string[] = [];
  const errors: string[] = [];
  // Paths inside the working directory print relative to it, others in full.
  const toKey = (absolute: string): string => {
    const inside = relative(io.cwd, absolute);
    return (inside.startsWith('..') ? absolute : inside).split(sep).join('/');
  };
  for (const path of paths) {
    const absolute = resolve(io.cwd, path);
    if (await io.isDirectory(absolute)) {
      const found = await findGateFiles(absolute, io);
      if (found.length === 0) errors.push(`no .gate files in \`${path}\``);
      requested.push(...found.map(toKey));
    } else requested.push(toKey(absolute));
  }
  const queue = [...new Set(requested)];
  const wanted = new Set(queue);
  while (queue.length > 0) {
    const key = queue.shift()!;
    if (files.has(key)) continue;
    let text: string;
    try {
      text = await io.readFile(resolve(io.cwd, key));
    } catch (error) {
      // A named file must exist; a missing import is reported by the checker with its location.
      if (wanted.has(key)) errors.push(`cannot read \`${key}\`: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    files.set(key, text);
    for (const declaration of parse(text, key).value.declarations) {
      if (declaration.kind === 'Import') queue.push(resolveImportPath(key, declaration.path.value));
    }
  }
  return { files, requested: [...wanted].filter((key) => files.has(key)), errors };
}

async function findGateFiles(directory: string, io: CliIo): Promise<string[]> {
  const found: string[] = [];
  const entries = (await io.listDirectory(directory)).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = `${directory}/${entry.name}`;
    if (entry.directory) {
      if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) found.push(...(await findGateFiles(path, io)));
    } else if (entry.name.endsWith('.gate')) found.push(path);
  }
  return found;
}

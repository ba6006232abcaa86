// The sample workspace as the app sees it: every `samples/**/*.gate` path below `samples/`.
import { readdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { PROJECT_ROOT } from './browser';

/** Sample policy paths relative to `samples/`, sorted as the app's file list sorts them. */
export function sampleFiles(): string[] {
  const root = resolve(PROJECT_ROOT, 'samples');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.gate'))
    .map((path) => relative(root, resolve(root, path)).split('\\').join('/'))
    .sort((a, b) => a.localeCompare(b));
}

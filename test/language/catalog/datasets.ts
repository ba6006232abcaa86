// Paths to the shared real-world datasets (read in place, never copied into the project).

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** /work/shared/datasets, from test/language/catalog/ in the project at /work/main. */
export const DATASETS = resolve(here, '../../../../shared/datasets');

export const GITHUB_TOOLS_PATH = resolve(DATASETS, 'mcp-tools/github-mcp-server.tools-list.json');
export const AGENTDOJO_TOOLS_PATH = resolve(DATASETS, 'agentdojo/tools.json');

export function readDataset(path: string): string {
  return readFileSync(path, 'utf8');
}

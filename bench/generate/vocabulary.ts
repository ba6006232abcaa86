// What generated rules may refer to: the catalog plus the names the workspace declares. Every
// reference the rule generators make comes from here, so the output checks clean.

import { compileGlob } from '../../src/language/glob';
import type { ToolSpec } from './catalogModel';

export interface Vocabulary {
  readonly tools: readonly ToolSpec[];
  readonly toolsByDomain: ReadonlyMap<string, readonly ToolSpec[]>;
  /** Labels some tool carries (so label targets select something). */
  readonly labels: readonly string[];
  /** Labels declared by `label x = ...`, used as taint sources in `after` and `from`. */
  readonly sourceLabels: readonly string[];
  readonly roles: readonly string[];
  readonly rolesByDomain: ReadonlyMap<string, readonly string[]>;
  /** Agent names as written in declarations (quoted or bare). */
  readonly agents: readonly AgentSpec[];
  readonly humans: readonly string[];
  /** Sets of plain strings (`in`) and of glob patterns (`~`). */
  readonly valueSets: readonly string[];
  readonly patternSets: readonly string[];
}

export interface AgentSpec {
  readonly name: string;
  readonly domain: string;
  /** How the name is written: bare or as a string. */
  readonly written: string;
}

/** The tools a glob pattern selects, in catalog order. */
export function toolsMatching(pattern: string, tools: readonly ToolSpec[]): ToolSpec[] {
  const match = compileGlob(pattern);
  return tools.filter((tool) => match(tool.name));
}

/** The tools carrying any of the labels. */
export function toolsLabelled(labels: readonly string[], tools: readonly ToolSpec[]): ToolSpec[] {
  return tools.filter((tool) => labels.some((label) => tool.labels.includes(label)));
}

// The vocabulary between the completion scanners and the completion producers: a scan of the
// statement at the cursor yields "wants", the kinds of words that fit there.

/** A rough rule target read from tokens: used when the parse tree has no rule at the cursor. */
export interface TargetSketch {
  readonly kind: 'tool' | 'label' | 'any';
  readonly names: readonly string[];
}

/** A path read from tokens: `args.amount` → root `args`, fields [`amount`]. */
export interface PathSketch {
  readonly root: string;
  readonly fields: readonly string[];
}

export type NameKind = 'tool' | 'label' | 'role' | 'agent' | 'human' | 'tier' | 'approver' | 'ruleId' | 'set' | 'import' | 'type';

/** One kind of completion that fits at the cursor. */
export type Want =
  | { readonly kind: 'keywords'; readonly words: readonly string[] }
  /** Snippets that start an item of a block. */
  | { readonly kind: 'declarations'; readonly block: 'top' | 'role' | 'test' }
  | { readonly kind: 'names'; readonly of: NameKind }
  | { readonly kind: 'pathRoots' }
  | { readonly kind: 'pathFields'; readonly path: PathSketch; readonly target: TargetSketch | undefined }
  /** Literal values comparable with `path`. */
  | { readonly kind: 'values'; readonly path: PathSketch; readonly target: TargetSketch | undefined }
  | { readonly kind: 'callArguments'; readonly tool: string; readonly used: readonly string[] }
  | { readonly kind: 'contextKeys'; readonly used: readonly string[] }
  | { readonly kind: 'argumentValues'; readonly tool: string; readonly argument: string };

/** The wants at the end of a statement, and whether the statement could end there. */
export interface Scan {
  readonly wants: readonly Want[];
  readonly complete: boolean;
}

/** Nothing fits (a name being declared, a literal, or tokens the scanner cannot place). */
export const NOTHING: Scan = { wants: [], complete: false };

/** The statement must go on with one of these. */
export const want = (...wants: Want[]): Scan => ({ wants, complete: false });

/** The statement may end here or go on with one of these. */
export const cont = (...wants: Want[]): Scan => ({ wants, complete: true });

export const keywords = (...words: string[]): Want => ({ kind: 'keywords', words });

export const names = (of: NameKind): Want => ({ kind: 'names', of });

export function isScan(value: unknown): value is Scan {
  return typeof value === 'object' && value !== null && 'wants' in value;
}

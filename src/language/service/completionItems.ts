// The shape completion producers build before the replace range is known, and what every
// producer is given.

import type { ServiceScope } from './serviceScope';
import type { CompletionItem } from './types';

/** A completion item before its replace range is set. */
export interface DraftItem extends Omit<CompletionItem, 'replace'> {
  /** The item inserts a name, which is quoted when the cursor is inside a string. */
  readonly name?: string;
}

/** What completion producers read: the file's scope and the cursor. */
export interface CompletionScope extends ServiceScope {
  readonly offset: number;
}

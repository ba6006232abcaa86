// Whole-document formatting as the smallest single edit: the formatter's output differs from the
// text only between a common prefix and suffix, so only that middle is replaced (the cursor and
// undo history outside it stay put).

import { formatText } from '../formatter';
import type { TextEdit } from './types';

/** The edit that formats `text`; none when it is already formatted or has parse errors. */
export function formatEdits(file: string, text: string): TextEdit[] {
  const formatted = formatText(text, file).value;
  if (formatted === undefined || formatted === text) return [];
  let prefix = 0;
  const shorter = Math.min(text.length, formatted.length);
  while (prefix < shorter && text.charCodeAt(prefix) === formatted.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && text.charCodeAt(text.length - 1 - suffix) === formatted.charCodeAt(formatted.length - 1 - suffix)) suffix++;
  return [{ span: { start: prefix, end: text.length - suffix }, newText: formatted.slice(prefix, formatted.length - suffix) }];
}

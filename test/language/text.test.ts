import { describe, expect, test } from 'vitest';
import { diagnostic } from '../../src/language/diagnostics';
import { createLineIndex, formatDiagnostic, lineColumn } from '../../src/language/text';

describe('lineColumn', () => {
  const text = 'ab\ncd\r\nef\rgh';

  test('counts lines and columns from 1 across \\n, \\r\\n and \\r line ends', () => {
    expect(lineColumn(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn(text, 2)).toEqual({ line: 1, column: 3 });
    expect(lineColumn(text, 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumn(text, 5)).toEqual({ line: 2, column: 3 });
    expect(lineColumn(text, 7)).toEqual({ line: 3, column: 1 });
    expect(lineColumn(text, 10)).toEqual({ line: 4, column: 1 });
    expect(lineColumn(text, 12)).toEqual({ line: 4, column: 3 });
  });

  test('clamps offsets outside the text', () => {
    expect(lineColumn(text, -5)).toEqual({ line: 1, column: 1 });
    expect(lineColumn(text, 999)).toEqual({ line: 4, column: 3 });
    expect(lineColumn('', 0)).toEqual({ line: 1, column: 1 });
  });

  test('agrees with a line index built once', () => {
    const position = createLineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) expect(position(offset)).toEqual(lineColumn(text, offset));
  });
});

describe('formatDiagnostic', () => {
  test('prints path:line:col: severity code: message', () => {
    const d = diagnostic('importInvalidJson', { start: 4, end: 5 }, 'invalid JSON: expected a value');
    expect(formatDiagnostic(d, '{\n  }', 'x.json')).toBe('x.json:2:3: error GH4001: invalid JSON: expected a value');
  });
});

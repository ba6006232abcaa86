// Choosing the reader: explicit formats, and `auto` detection.
import { describe, expect, test } from 'vitest';
import type { TraceFormat } from '../../src/traces/import';
import { IMPORTERS } from '../../src/traces/import';
import { read } from './support';

const readTrace = (text: string, file: string, format: TraceFormat | 'auto' = 'auto') => {
  const r = read(text, file, format);
  return { ...r, format: r.result.format };
};

const run = JSON.stringify({ suite_name: 'slack', messages: [{ role: 'user', content: 'hi' }] }, null, 2);
const line = '{"kind":"user_message","session":"s","seq":1,"time":0,"text":"hi"}';

describe('readTrace', () => {
  test('auto: a .json AgentDojo run is read as AgentDojo', () => {
    const result = readTrace(run, 'run.json');
    expect(result.format).toBe('agentdojo');
    expect(result.events).toMatchObject([{ kind: 'user_message', text: 'hi', session: 'run.json' }]);
  });

  test('auto: an AgentDojo run under another name is still recognised (its first line is not JSON)', () => {
    expect(readTrace(run, 'run.txt').format).toBe('agentdojo');
  });

  test('auto: lines of JSON objects are JSONL, whatever the extension', () => {
    for (const file of ['t.jsonl', 't.json', 't']) {
      const result = readTrace(`${line}\n${line.replace('"seq":1', '"seq":2')}\n`, file);
      expect(result.format).toBe('jsonl');
      expect(result.events).toHaveLength(2);
    }
  });

  test('auto: a one-line AgentDojo run in a .json file is AgentDojo', () => {
    expect(readTrace(JSON.stringify({ suite_name: 'slack', messages: [] }), 'r.json').format).toBe('agentdojo');
  });

  test('auto: a pretty-printed JSON object that is not a run is one problem, not one per line', () => {
    const result = readTrace(JSON.stringify({ hello: 'world', n: [1, 2, 3] }, null, 2), 'other.json');
    expect(result.events).toEqual([]);
    expect(result.problems).toEqual(['other.json:1: no importer recognises an object with keys `hello`, `n`; known formats: ' + IMPORTERS.map((i) => i.format).join(', ')]);
    expect(result.result.diagnostics.map((d) => d.code)).toEqual(['GH4106']);
    expect(result.result.stats).toMatchObject({ records: 1, skipped: 1, skippedByCode: { GH4106: 1 } });
  });

  test('an explicit format is obeyed', () => {
    expect(readTrace(run, 'run.json', 'jsonl').format).toBe('jsonl');
    expect(readTrace(run, 'run.json', 'jsonl').problems.length).toBeGreaterThan(0);
    const forced = readTrace(line, 'x.jsonl', 'agentdojo');
    expect(forced.format).toBe('agentdojo');
    expect(forced.result.diagnostics.map((d) => `${d.code} ${d.line} ${d.message}`)).toEqual([
      'GH4117 1 the content does not look like AgentDojo run (it looks like Gatehouse JSON Lines: a record with `kind` `user_message`); reading it as AgentDojo run anyway',
      'GH4108 1 missing `suite_name`',
      'GH4108 1 missing `messages`',
    ]);
  });

  test('empty input has no events and one GH4104, whatever the format', () => {
    for (const format of ['auto', 'jsonl', 'agentdojo'] as const) {
      for (const text of ['', '\n\n  \n', '\ufeff']) {
        const result = readTrace(text, 'e.jsonl', format);
        expect(result.events).toEqual([]);
        expect(result.result.diagnostics.map((d) => d.code)).toEqual(['GH4104']);
      }
    }
  });
});

// Choosing the reader: explicit formats, and `auto` detection.
import { describe, expect, test } from 'vitest';
import { readTrace } from '../../src/traces/readers';

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
    expect(result.problems).toEqual(['other.json:1: a JSON document that is neither an AgentDojo run (`suite_name` and `messages`) nor JSON Lines (one event per line)']);
  });

  test('an explicit format is obeyed', () => {
    expect(readTrace(run, 'run.json', 'jsonl').format).toBe('jsonl');
    expect(readTrace(run, 'run.json', 'jsonl').problems.length).toBeGreaterThan(0);
    const forced = readTrace(line, 'x.jsonl', 'agentdojo');
    expect(forced.format).toBe('agentdojo');
    expect(forced.problems).toEqual(['x.jsonl:1: missing `suite_name`', 'x.jsonl:1: missing `messages`']);
  });

  test('empty input has no events and no problems', () => {
    expect(readTrace('', 'e.jsonl')).toEqual({ format: 'jsonl', events: [], problems: [] });
  });
});

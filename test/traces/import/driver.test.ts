// The import driver on bad input and as a stream: every failure has its code and location, the
// good records are kept, and chunking never changes the result.
import { describe, expect, test } from 'vitest';
import { importBytes, importStream, importText, type ImportResult } from '../../../src/traces/import';
import type { ToolCallEvent } from '../../../src/traces/event';

const line = (seq: number, extra = '') => `{"kind":"tool_call","session":"s","seq":${seq},"time":${seq * 1000},"agent":"a","tool":"t${seq}"${extra}}`;
const where = (result: ImportResult) => result.diagnostics.map((d) => `${d.code} ${d.line ?? '-'}`);
const encode = (text: string) => new TextEncoder().encode(text);

async function* chunks(parts: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

describe('bad input: a diagnostic with a stable code and file:line, the good records kept', () => {
  test('a malformed line: GH4101 at its line', () => {
    const result = importText([line(1), '{"kind":"tool_call", oops', line(3)].join('\n'), { file: 'f.jsonl' });
    expect(where(result)).toEqual(['GH4101 2']);
    expect(result.events.map((e) => e.seq)).toEqual([1, 3]);
    expect(result.stats).toMatchObject({ records: 3, skipped: 1, skippedByCode: { GH4101: 1 } });
    expect(result.diagnostics[0]).toMatchObject({ file: 'f.jsonl', severity: 'error' });
  });

  test('a wrong type and a missing field: GH4107 and GH4108 at their lines', () => {
    const result = importText([line(1), line(2, ',"args":[1]'), '{"kind":"tool_call","session":"s","seq":3,"time":1,"agent":"a"}', line(4)].join('\n'), { file: 'f.jsonl' });
    expect(where(result)).toEqual(['GH4107 2', 'GH4108 3']);
    expect(result.events.map((e) => e.seq)).toEqual([1, 4]);
    expect(result.stats.skippedByCode).toEqual({ GH4107: 1, GH4108: 1 });
  });

  test('an unknown format: one GH4106 naming what was seen; every record counted as skipped', () => {
    const result = importText('{"hello":1}\n{"hello":2}\n{"hello":3}\n', { file: 'x.jsonl' });
    expect(where(result)).toEqual(['GH4106 1']);
    expect(result.diagnostics[0]!.message).toContain('an object with keys `hello`');
    expect(result.format).toBeUndefined();
    expect(result.stats).toMatchObject({ records: 3, skipped: 3, skippedByCode: { GH4106: 3 } });
    const document = importText('{\n  "what": "is this"\n}\n', { file: 'y.json' });
    expect(where(document)).toEqual(['GH4106 1']);
    expect(document.stats).toMatchObject({ records: 1, skipped: 1 });
  });

  test('an empty file: GH4104, as text, as bytes and as a stream', async () => {
    for (const text of ['', '   \n\n\t\n', '\ufeff']) {
      expect(where(importText(text, { file: 'e' }))).toEqual(['GH4104 -']);
      expect(where(importBytes(encode(text), { file: 'e' }))).toEqual(['GH4104 -']);
      expect(where(await importStream(chunks([encode(text)]), { file: 'e' }))).toEqual(['GH4104 -']);
    }
  });

  test('binary data: GH4105 and nothing else', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect(where(importBytes(png, { file: 'p.png' }))).toEqual(['GH4105 -']);
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from(encode(line(1))).flatMap((b) => [b, 0])]);
    expect(where(importBytes(utf16, { file: 'w.jsonl' }))).toEqual(['GH4105 -']);
    expect(where(importText(`${line(1)}\u0000\n`, { file: 'n.jsonl' }))).toEqual(['GH4105 -']);
  });

  test('non-UTF-8 bytes on one line: GH4102 at that line, the other lines kept', () => {
    const bytes = new Uint8Array([...encode(`${line(1)}\n`), ...encode('{"kind":"tool_call","tool":"caf'), 0xe9, ...encode('"}\n'), ...encode(`${line(3)}\n`)]);
    const result = importBytes(bytes, { file: 'l.jsonl' });
    expect(where(result)).toEqual(['GH4102 2']);
    expect(result.events.map((e) => e.seq)).toEqual([1, 3]);
    // In a JSON document the bad bytes make the whole file unreadable as text.
    const document = new Uint8Array([...encode('{\n "suite_name": "b'), 0xff, ...encode('",\n "messages": []\n}')]);
    expect(where(importBytes(document, { file: 'd.json' }))).toEqual(['GH4105 -']);
  });

  test('a 50 MB single line: GH4103 at its line, dropped as it streams past; the lines around it kept', async () => {
    const big = 50 * 1024 * 1024;
    const block = encode('a'.repeat(1 << 16));
    async function* source(): AsyncGenerator<Uint8Array> {
      yield encode(`${line(1)}\n{"kind":"tool_call","session":"s","seq":2,"time":2,"agent":"a","tool":"x","args":{"blob":"`);
      for (let sent = 0; sent < big; sent += block.length) yield block;
      yield encode(`"}}\n${line(3)}\n`);
    }
    const result = await importStream(source(), { file: 'big.jsonl' });
    expect(where(result)).toEqual(['GH4103 2']);
    expect(result.events.map((e) => e.seq)).toEqual([1, 3]);
    expect(result.stats.bytes).toBeGreaterThan(big);
  });

  test('an over-long first line: the file is still read as JSON Lines, the line skipped', () => {
    const long = `{"kind":"tool_call","session":"s","seq":1,"time":1,"agent":"a","tool":"x","args":{"blob":"${'b'.repeat(5000)}"}}`;
    for (const read of [(text: string) => importText(text, { file: 'l.jsonl', maxLineBytes: 1024 }), (text: string) => importBytes(encode(text), { file: 'l.jsonl', maxLineBytes: 1024 })]) {
      const result = read([long, line(2), line(3)].join('\n'));
      expect(where(result)).toEqual(['GH4103 1']);
      expect(result.format).toBe('jsonl');
      expect(result.events.map((e) => e.seq)).toEqual([2, 3]);
    }
  });

  test('`__proto__` and `constructor` keys: kept as data (GH4113), no prototype touched', () => {
    const text = `${line(1, ',"args":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')}\n`;
    for (const result of [importText(text, { file: 'p.jsonl' }), importBytes(encode(text), { file: 'p.jsonl' })]) {
      expect(where(result)).toEqual(['GH4113 1']);
      const call = result.events[0] as ToolCallEvent;
      expect(Object.prototype.hasOwnProperty.call(call.args, '__proto__')).toBe(true);
      expect(Object.getPrototypeOf(call.args)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
    const run = '{"suite_name":"banking","messages":[{"role":"assistant","content":"","tool_calls":[{"id":"a","function":"f","args":{"__proto__":{"polluted":true}}}]},{"role":"tool","tool_call_id":"a","content":"ok"}]}';
    const result = importText(run, { file: 'r.json' });
    expect(result.diagnostics.map((d) => `${d.code} ${d.line} ${d.path}`)).toEqual(['GH4113 1 $.messages[0].tool_calls[0].args.__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('duplicate call ids: GH4109 at the second call; the result pairs with the later one', () => {
    const run = JSON.stringify(
      {
        suite_name: 'banking',
        messages: [
          { role: 'assistant', content: '', tool_calls: [{ id: 'c1', function: 'first', args: {} }] },
          { role: 'assistant', content: '', tool_calls: [{ id: 'c1', function: 'second', args: {} }] },
          { role: 'tool', tool_call_id: 'c1', content: 'answer' },
        ],
      },
      null,
      1,
    );
    const result = importText(run, { file: 'd.json' });
    const second = result.events[1] as ToolCallEvent;
    expect(result.diagnostics.map((d) => `${d.code} ${d.line} ${d.path}`)).toEqual([
      `GH4110 ${result.events[0]!.source!.line} $.messages[0].tool_calls[0]`,
      `GH4109 ${second.source!.line} $.messages[1].tool_calls[0]`,
    ]);
    expect(result.events).toMatchObject([{ tool: 'first', unpaired: true }, { tool: 'second', result: 'answer' }]);
  });
});

describe('streaming', () => {
  const text = [line(1), line(2, ',"result":"h\u00e9llo \u{1F600}"'), '', 'not json', line(4)].join('\r\n') + '\n';
  const bytes = encode(text);

  test('every split of the bytes into two chunks gives the same result as the whole text', async () => {
    const whole = importText(text, { file: 's.jsonl' });
    expect(where(whole)).toEqual(['GH4101 4']);
    expect(whole.events.map((e) => e.seq)).toEqual([1, 2, 4]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const split = await importStream(chunks([bytes.subarray(0, cut), bytes.subarray(cut)]), { file: 's.jsonl' });
      expect(split.events).toEqual(whole.events);
      expect(split.diagnostics).toEqual(whole.diagnostics);
    }
  });

  test('a document split into one-byte chunks reads like the whole', async () => {
    const run = encode(JSON.stringify({ suite_name: 'slack', messages: [{ role: 'user', content: 'h\u00e9 \u{1F600}' }] }, null, 2));
    const whole = importBytes(run, { file: 'r.json' });
    const parts = Array.from(run, (_, i) => run.subarray(i, i + 1));
    const streamed = await importStream(chunks(parts), { file: 'r.json' });
    expect(streamed.events).toEqual(whole.events);
    expect(streamed.format).toBe('agentdojo');
    expect(whole.events).toMatchObject([{ kind: 'user_message', text: 'h\u00e9 \u{1F600}' }]);
  });

  test('a web ReadableStream is read too, with progress after each chunk', async () => {
    const progress: Array<{ bytes: number; records: number }> = [];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let start = 0; start < bytes.length; start += 10) controller.enqueue(bytes.slice(start, start + 10));
        controller.close();
      },
    });
    const result = await importStream(stream, { file: 'w.jsonl', onProgress: (p) => progress.push(p) });
    expect(result.events.map((e) => e.seq)).toEqual([1, 2, 4]);
    expect(progress.length).toBe(Math.ceil(bytes.length / 10));
    expect(progress.at(-1)).toEqual({ bytes: bytes.length, records: 4 }); // `not json` is a record, skipped
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.bytes).toBeGreaterThan(progress[i - 1]!.bytes);
  });

  test('onEvent takes each JSON Lines event as its line arrives, before the stream ends, and the result keeps none', async () => {
    const delivered: number[] = [];
    const seenBeforeChunk: number[] = [];
    async function* source(): AsyncGenerator<Uint8Array> {
      for (const n of [1, 2, 3, 4]) {
        seenBeforeChunk.push(delivered.length);
        yield encode(`${line(n)}\n`);
      }
    }
    const result = await importStream(source(), { file: 'live.jsonl', onEvent: (event) => delivered.push(event.seq) });
    expect(delivered).toEqual([1, 2, 3, 4]);
    expect(seenBeforeChunk).toEqual([0, 1, 2, 3]); // each line's event was handed over before the next chunk was asked for
    expect(result.events).toEqual([]);
    expect(result.sessions).toEqual([{ id: 's', events: 4, toolCalls: 4, errors: 0, unpaired: 0, clock: 'recorded' }]);
  });

  test('cancellation stops between chunks, keeps what was read, and says so (GH4115)', async () => {
    const controller = new AbortController();
    async function* source(): AsyncGenerator<Uint8Array> {
      yield encode(`${line(1)}\n${line(2)}\n`);
      controller.abort();
      yield encode(`${line(3)}\n`);
    }
    const result = await importStream(source(), { file: 'c.jsonl', signal: controller.signal });
    expect(result.cancelled).toBe(true);
    expect(result.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['GH4115']);
  });

  test('a format can be named, overriding detection; a mismatch is a warning (GH4117)', () => {
    const run = JSON.stringify({ suite_name: 'slack', messages: [] });
    expect(importText(run, { file: 'r.json', format: 'agentdojo' }).detection).toMatchObject({ format: 'agentdojo', requested: true, confidence: 1 });
    const forced = importText(`${line(1)}\n`, { file: 'x.jsonl', format: 'agentdojo' });
    expect(forced.format).toBe('agentdojo');
    expect(forced.diagnostics[0]).toMatchObject({ code: 'GH4117', line: 1, severity: 'warning' });
  });
});

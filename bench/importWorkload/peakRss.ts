// Run in a child process by the `import` benchmark: imports one file from disk as the CLI does
// (a Node read stream into the streaming importer), keeps every event, and prints one JSON line
// with the process's peak resident memory. A fresh process, so nothing else weighs on the figure.

import { createReadStream } from 'node:fs';
import { importStream } from '../../src/traces/import';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: peakRss.ts <trace.jsonl>');
const result = await importStream(createReadStream(file, { highWaterMark: 1 << 20 }), { file });
const peakRssMb = process.resourceUsage().maxRSS / 1024; // maxRSS is in kilobytes
console.log(JSON.stringify({ peakRssMb, events: result.events.length, diagnostics: result.diagnostics.length }));

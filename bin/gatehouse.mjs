#!/usr/bin/env node
// The `gatehouse` executable: loads the TypeScript CLI through tsx and gives it the real
// process and file system. Everything else lives in src/cli/, testable without a process.
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');

// `gatehouse ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  readStream: (path) => createReadStream(path, { highWaterMark: 1 << 20 }),
  writeFile: (path, text) => writeFile(path, text, 'utf8'),
  isDirectory: (path) => stat(path).then((info) => info.isDirectory(), () => false),
  listDirectory: async (path) =>
    (await readdir(path, { withFileTypes: true })).map((entry) => ({ name: entry.name, directory: entry.isDirectory() })),
  cwd: process.cwd(),
});

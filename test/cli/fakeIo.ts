// An in-memory CliIo for CLI tests: files by absolute path; directories are implied by paths.
import { resolve } from 'node:path';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';

export const CWD = '/project';

export function fakeIo(files: Record<string, string> = {}) {
  const disk = new Map(Object.entries(files).map(([path, text]) => [resolve(CWD, path), text]));
  const out: string[] = [];
  const err: string[] = [];
  const isDirectory = (path: string): boolean => [...disk.keys()].some((file) => file.startsWith(`${path}/`));
  const io: CliIo = {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    readFile: async (path) => {
      const text = disk.get(path);
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    readStream: (path) => ({
      async *[Symbol.asyncIterator]() {
        const text = disk.get(path);
        if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
        // Small chunks, so tests cross chunk boundaries inside lines and characters.
        const bytes = new TextEncoder().encode(text);
        for (let start = 0; start < bytes.length; start += 7) yield bytes.subarray(start, start + 7);
      },
    }),
    writeFile: async (path, text) => void disk.set(path, text),
    isDirectory: async (path) => isDirectory(path),
    listDirectory: async (path) => {
      const names = new Map<string, boolean>();
      for (const file of disk.keys()) {
        if (!file.startsWith(`${path}/`)) continue;
        const [name, ...rest] = file.slice(path.length + 1).split('/');
        names.set(name!, rest.length > 0);
      }
      return [...names].map(([name, directory]) => ({ name, directory }));
    },
    cwd: CWD,
  };
  return { io, disk, stdout: () => out.join(''), stderr: () => err.join('') };
}

/** Runs `gatehouse <argv>` against an in-memory disk. */
export async function run(argv: string[], files: Record<string, string> = {}) {
  const fake = fakeIo(files);
  const code = await main(argv, fake.io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr(), disk: fake.disk };
}

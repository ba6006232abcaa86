// `npm run bench [-- group ...]`: runs every benchmark group, or only the named ones. The last
// line printed is always one JSON object of all figures (`{"lang.parse_check_ms_10k": 41.2}`),
// also when a group fails (it adds `"<group>.error": 1`, exit code 1). Unknown group: exit 2.
// Several groups run one after another, each in a fresh Node process: a group's heap and
// compiled code would otherwise weigh on the next one's figures (the import figure measured
// after the engine group read 2.8 against 2.0 alone).

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GROUPS } from './groups';
import { runBenchmarks } from './runner';

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const known = args.every((name) => GROUPS.some((group) => group.name === name));
const selected = args.length === 0 ? GROUPS.map((group) => group.name) : args;

if (!known || selected.length === 1) {
  process.exitCode = await runBenchmarks(GROUPS, args, {
    line: (text) => console.log(text),
    error: (text) => console.error(text),
  });
} else {
  const figures: Record<string, number> = {};
  let exitCode = 0;
  for (const name of selected) {
    const { code, last } = await runAlone(name);
    try {
      Object.assign(figures, JSON.parse(last) as Record<string, number>);
    } catch {
      figures[`${name}.error`] = 1;
    }
    if (code !== 0) exitCode = 1;
  }
  console.log(JSON.stringify(figures));
  process.exitCode = exitCode;
}

/** Runs one group in a child process, passing its lines through except the final JSON; its exit code and that line. */
function runAlone(name: string): Promise<{ code: number; last: string }> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), [name], { execArgv: process.execArgv, stdio: ['inherit', 'pipe', 'inherit', 'ipc'] });
    let pending = '';
    let last = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      pending += chunk;
      for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.startsWith('{')) last = line;
        else console.log(line);
      }
    });
    child.on('close', (code) => {
      if (pending.startsWith('{')) last = pending;
      else if (pending) console.log(pending);
      resolve({ code: code ?? 1, last });
    });
  });
}

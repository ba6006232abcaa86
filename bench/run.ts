// `npm run bench [-- group ...]`: runs every benchmark group, or only the named ones. The last
// line printed is always one JSON object of all figures (`{"lang.parse_check_ms_10k": 41.2}`),
// also when a group fails (it adds `"<group>.error": 1`, exit code 1). Unknown group: exit 2.

import { GROUPS } from './groups';
import { runBenchmarks } from './runner';

process.exitCode = await runBenchmarks(GROUPS, process.argv.slice(2), {
  line: (text) => console.log(text),
  error: (text) => console.error(text),
});

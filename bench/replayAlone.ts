// The engine group's stateful replay, alone in this process: the engine group starts it in a
// fresh Node process and prints the figures it sends back (one message a figure).

import { runReplay } from './groups/engine';

const sink = await runReplay((name, value, digits) => process.send!({ name, value, ...(digits !== undefined ? { digits } : {}) }));
if (sink < 0) throw new Error('unreachable: keeps the measured work observable');
process.disconnect?.();

// The stateless workload's requests as the engine (and the floor) take them: tool-call events.
// These rules read no session state, so each agent gets one session; `seq` is the request's index.

import type { ToolCallEvent } from '../../src/traces/event';
import type { RequestModel } from './model';

export function toToolCallEvents(requests: readonly RequestModel[]): ToolCallEvent[] {
  return requests.map((request, index) => ({
    kind: 'tool_call',
    session: `s-${request.agent}`,
    seq: index,
    time: request.time,
    agent: request.agent,
    tool: request.tool,
    args: { amount: request.amount, recipient: request.recipient, path: request.path },
  }));
}

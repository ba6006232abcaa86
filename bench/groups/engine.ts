// `engine`: how fast the decision engine decides, against Cedar, against a floor, and against
// reading the trace.
//
// 1. The stateless workload (bench/engineWorkload): 20 agents in 10 roles, 200 tools in 10 groups,
//    ~300 permit/forbid rules with amount, hour, recipient-glob and path conditions, 100,000
//    random requests. The same rules in Cedar (cedar-wasm, preparsed policy set, per-request
//    entities) must decide every request alike (`engine.cedar_disagreements`). Cedar is timed on
//    the first CEDAR_TIMED requests in this thread; worker threads decide the rest, for agreement only.
// 2. The floor: a bare closure evaluator indexed by tool (bench/engineWorkload/floor.ts), no
//    explanations; `engine.vs_floor` is the engine's throughput with explanations on over the floor's.
//    Every rule is evaluated when a decision is made; its deciding and matching rules and its
//    explanation are assembled when first read, so the throughput is also given for a reader of
//    every decision's deciding rules (`engine.decisions_per_s_reading_rules`, as `replay --json`).
// 3. The stateful replay: 1,000,000 events over 1,000 sessions as JSON Lines, a policy with flow,
//    provenance and rate-limit rules; reading the text with the project's reader and deciding
//    every event as it is read, against only `JSON.parse` of every line of the same text. It runs
//    in a fresh process (bench/replayAlone.ts), as `gatehouse replay` would.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CedarRunner, decideInWorkers, type CedarEffect } from '../cedar/cedarRunner';
import { hasErrors, type Diagnostic } from '../../src/language/diagnostics';
import { compilePolicy } from '../../src/engine/compile';
import type { Decision } from '../../src/engine/decision';
import { createEngine } from '../../src/engine/engine';
import type { DecisionProgram } from '../../src/engine/program';
import type { TraceEvent } from '../../src/traces/event';
import { importText } from '../../src/traces/import';
import type { BenchGroup, FigureReporter } from '../benchGroup';
import { CedarEncoder, renderCedarPolicies, type CedarRequest } from '../engineWorkload/cedar';
import { toToolCallEvents } from '../engineWorkload/events';
import { FloorEvaluator } from '../engineWorkload/floor';
import { renderGate } from '../engineWorkload/gate';
import { generateModel, generateRequests } from '../engineWorkload/generate';
import type { RequestModel } from '../engineWorkload/model';
import { generateReplayTrace, replayPolicy, type ReplayTrace } from '../engineWorkload/replay';
import { measureInterleaved, round } from '../measure';

const REQUESTS = 100_000;
/** Cedar takes ~0.5–1 ms a request here: it is timed on this many, the rest only checked. */
const CEDAR_TIMED = 20_000;
const CEDAR_WARMUP = 500;
const ENGINE_RUNS = 5;
/** The floor is ~100x faster than the engine: each of its samples makes several passes. */
const FLOOR_REPEAT = 10;
const REPLAY_EVENTS = 1_000_000;
const REPLAY_SESSIONS = 1_000;
const REPLAY_RUNS = 5;
const SHOWN_DISAGREEMENTS = 5;

/** Lower bounds (the runner prints only upper bounds from `targets`; these are printed here). */
const AT_LEAST: Readonly<Record<string, number>> = { 'engine.vs_cedar': 500, 'engine.vs_floor': 0.3 };

function compiled(files: ReadonlyMap<string, string>, what: string): DecisionProgram {
  const { value, diagnostics } = compilePolicy(files);
  if (!value || hasErrors(diagnostics)) {
    const first = diagnostics.find((d: Diagnostic) => d.severity === 'error');
    throw new Error(`the ${what} policy does not compile: ${first ? `${first.file} ${first.code} ${first.message}` : 'no program'}`);
  }
  return value;
}

export type Figure = (name: string, value: number, digits?: number) => void;

async function runEngine(report: FigureReporter = () => {}): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const figure: Figure = (name, value, digits) => {
    figures[name] = round(value, digits ?? (Math.abs(value) < 100 ? 3 : 0));
    report(name, figures[name]!);
    const floor = AT_LEAST[name];
    if (floor !== undefined) console.log(`  ${''.padEnd(34)} ${''.padStart(10)}   (target ≥ ${floor}: ${figures[name]! >= floor ? 'ok' : 'MISSED'})`);
  };
  const sink = await runStateless(figure, figures);
  if (sink < 0) throw new Error('unreachable: keeps the measured work observable');
  // The replay in a fresh process, as `gatehouse replay` runs one policy: the stateless workload's
  // heap and the 300-rule policy's compiled code would otherwise weigh on its figures.
  await runReplayAlone(figure);
  return figures;
}

/** Runs the replay in a child process (bench/replayAlone.ts), which reports each figure back. */
function runReplayAlone(figure: Figure): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('../replayAlone.ts', import.meta.url)), [], { execArgv: process.execArgv, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (message: { name: string; value: number; digits?: number }) => figure(message.name, message.value, message.digits));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the replay process exited with code ${code}`))));
  });
}

/** The stateless figures (Cedar, the floor); returns a value that keeps the work observable. */
async function runStateless(figure: Figure, figures: Readonly<Record<string, number>>): Promise<number> {
  let sink = 0;

  // The stateless workload, in Gatehouse and in Cedar.
  const model = generateModel();
  const requests = generateRequests(model, REQUESTS);
  const events = toToolCallEvents(requests);
  const program = compiled(renderGate(model), 'stateless workload');
  const policies = renderCedarPolicies(model);
  const encoder = new CedarEncoder(model);
  const cedarRequests = requests.map((request) => encoder.encode(request));
  figure('engine.requests', REQUESTS);
  figure('engine.rules', model.rules.length);

  // Cedar: timed in this thread on the first CEDAR_TIMED requests (requests encoded beforehand,
  // as the engine's events are built beforehand), then the rest in worker threads.
  const cedar = CedarRunner.prepare(policies, 'engine-bench');
  for (let i = 0; i < CEDAR_WARMUP; i++) sink += cedar.decide(cedarRequests[i]!).length;
  const cedarDecisions = new Uint8Array(REQUESTS);
  const cedarStart = performance.now();
  for (let i = 0; i < CEDAR_TIMED; i++) cedarDecisions[i] = cedar.decide(cedarRequests[i]!) === 'allow' ? 1 : 0;
  const cedarMs = performance.now() - cedarStart;
  figure('cedar.timed_requests', CEDAR_TIMED);
  figure('cedar.decisions_per_s', (CEDAR_TIMED / cedarMs) * 1000, 0);
  const rest = await decideInWorkers(policies, cedarRequests.slice(CEDAR_TIMED), 2);
  cedarDecisions.set(rest.decisions, CEDAR_TIMED);
  if (rest.errors.length > 0) console.log(`  Cedar reported policy evaluation errors, e.g. ${rest.errors.slice(0, 3).join('; ')}`);

  // Agreement: the engine (explanations on) against Cedar on every request; the floor too.
  const engine = createEngine(program, { approvals: 'reject', explain: true });
  const floor = new FloorEvaluator(model);
  let disagreements = 0;
  let floorDisagreements = 0;
  let allowed = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const decision = engine.decide(events[i]!)!;
    const cedarEffect: CedarEffect = cedarDecisions[i] === 1 ? 'allow' : 'deny';
    if (cedarEffect === 'allow') allowed++;
    if (floor.allows(events[i]!) !== (cedarEffect === 'allow')) floorDisagreements++;
    if (decision.effect !== cedarEffect) {
      if (disagreements < SHOWN_DISAGREEMENTS) describeDisagreement(i, requests[i]!, decision, cedar, cedarRequests[i]!, floor.allows(events[i]!));
      disagreements++;
    }
  }
  figure('engine.cedar_disagreements', disagreements);
  figure('engine.floor_cedar_disagreements', floorDisagreements);
  figure('engine.allowed_share', allowed / REQUESTS);

  // Throughput: the engine with and without explanations, and the floor, in interleaved rounds.
  const explained = createEngine(program, { approvals: 'reject', explain: true });
  const bare = createEngine(program, { approvals: 'reject', explain: false });
  const pass = (decider: typeof engine) => () => {
    decider.reset();
    for (let i = 0; i < events.length; i++) if (decider.decide(events[i]!)!.effect === 'allow') sink++;
  };
  // As `gatehouse replay --json` reads them: the effect and the deciding rules of every decision.
  const passReadingRules = (decider: typeof engine) => () => {
    decider.reset();
    for (let i = 0; i < events.length; i++) {
      const decision = decider.decide(events[i]!)!;
      if (decision.effect === 'allow') sink++;
      sink += decision.deciding.length;
    }
  };
  const timings = measureInterleaved(
    {
      engine: pass(explained),
      engineReadingRules: passReadingRules(explained),
      engineNoExplain: pass(bare),
      floor: () => {
        for (let r = 0; r < FLOOR_REPEAT; r++) for (let i = 0; i < events.length; i++) if (floor.allows(events[i]!)) sink++;
      },
    },
    ENGINE_RUNS,
    1,
  );
  const engineRate = (REQUESTS / timings.engine.median) * 1000;
  const floorRate = ((REQUESTS * FLOOR_REPEAT) / timings.floor.median) * 1000;
  figure('engine.decisions_per_s', engineRate, 0);
  figure('engine.decisions_per_s_explain_off', (REQUESTS / timings.engineNoExplain.median) * 1000, 0);
  figure('engine.decisions_per_s_reading_rules', (REQUESTS / timings.engineReadingRules.median) * 1000, 0);
  figure('floor.decisions_per_s', floorRate, 0);
  figure('engine.vs_cedar', engineRate / figures['cedar.decisions_per_s']!);
  figure('engine.vs_floor', engineRate / floorRate);
  return sink;
}

/** Prints one disagreement in full: the request, both decisions and the rules behind them. */
function describeDisagreement(index: number, request: RequestModel, decision: Decision, cedar: CedarRunner, cedarRequest: CedarRequest, floorAllows: boolean): void {
  const answer = cedar.answer(cedarRequest);
  console.log(`  disagreement on request ${index}: ${JSON.stringify(request)}`);
  console.log(`    engine: ${decision.effect}${decision.defaultDeny ? ' (default deny)' : ''}, deciding [${decision.deciding.map((rule) => rule.id).join(', ')}], matching [${decision.matching.map((rule) => rule.id).join(', ')}]${decision.errors.length > 0 ? `, errors ${JSON.stringify(decision.errors)}` : ''}`);
  console.log(`    cedar:  ${answer.decision}, reasons [${answer.reasons.join(', ')}]${answer.errors.length > 0 ? `, errors ${answer.errors.join('; ')}` : ''}`);
  console.log(`    floor:  ${floorAllows ? 'allow' : 'deny'}`);
}

/** The stateful replay figures; returns a value that keeps the work observable. */
export async function runReplay(figure: Figure): Promise<number> {
  const program = compiled(replayPolicy(), 'replay');
  const trace: ReplayTrace = generateReplayTrace({ events: REPLAY_EVENTS, sessions: REPLAY_SESSIONS });
  figure('replay.events', trace.events);
  figure('replay.sessions', trace.sessions);
  figure('replay.mb', trace.characters / 1e6, 1);
  const engine = createEngine(program, { approvals: 'reject', explain: true });
  let sink = 0;
  let counts = { allow: 0, deny: 0, approval: 0 };
  const jsonParse = (): void => {
    for (const chunk of trace.chunks) {
      let start = 0;
      for (let end = chunk.indexOf('\n'); end >= 0; end = chunk.indexOf('\n', start)) {
        sink += (JSON.parse(chunk.slice(start, end)) as { seq: number }).seq;
        start = end + 1;
      }
    }
  };
  const readDecide = (): void => {
    engine.reset();
    counts = { allow: 0, deny: 0, approval: 0 };
    // Each event is decided as its line is read (the importer's `onEvent`), as `gatehouse replay` does.
    const decide = (event: TraceEvent): void => {
      const decision = engine.decide(event);
      if (decision) counts[decision.effect]++;
    };
    for (const chunk of trace.chunks) {
      const { diagnostics } = importText(chunk, { file: 'replay.jsonl', format: 'jsonl', onEvent: decide });
      if (diagnostics.length > 0) throw new Error(`the replay trace does not read: ${diagnostics[0]!.message}`);
    }
    engine.reset(); // so its state does not weigh on the other task's garbage collection
  };
  const read = (): void => {
    for (const chunk of trace.chunks) sink += importText(chunk, { file: 'replay.jsonl', format: 'jsonl' }).events.length;
  };
  // Each figure against its own reference, in its own interleaved rounds (a task that keeps every
  // event of a chunk leaves garbage the next task would pay for), after one untimed round (the
  // first run of each task also compiles its code).
  const replay = measureInterleaved({ jsonParse, readDecide }, REPLAY_RUNS, 1);
  const reading = measureInterleaved({ jsonParse, read }, REPLAY_RUNS, 1);
  figure('replay.decisions_allow', counts.allow);
  figure('replay.decisions_deny', counts.deny);
  figure('replay.decisions_approval', counts.approval);
  figure('replay.json_parse_ms', replay.jsonParse.median, 0);
  figure('replay.read_decide_ms', replay.readDecide.median, 0);
  figure('replay.read_ms', reading.read.median, 0);
  figure('replay.read_vs_json_parse', reading.read.median / reading.jsonParse.median);
  figure('replay.events_per_s', (trace.events / replay.readDecide.median) * 1000, 0);
  figure('replay.vs_json_parse', replay.readDecide.median / replay.jsonParse.median);
  return sink;
}

export const engineGroup: BenchGroup = {
  name: 'engine',
  description: 'decisions/s on 100k requests against Cedar (cedar-wasm) and a bare floor; 1M-event stateful replay against JSON.parse',
  targets: { 'engine.cedar_disagreements': 0, 'engine.floor_cedar_disagreements': 0, 'replay.vs_json_parse': 3 },
  run: runEngine,
};

/**
 * Run calls on a compiled student module in a separate, sandboxed Node process, so that an
 * exception, an infinite loop, a memory bomb or an exit in student code costs only the call it
 * happened in. The parent keeps the clock: a call that runs past its time limit is ended by
 * killing the process, and the calls after it run in a fresh one. Only lines signed with the
 * job's token count as results.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkInt } from '../core/checks';
import { packageRoot } from '../core/paths';
import type { ChildMessage, JobHeader } from './child';
import type { Compiled } from './compile';
import { libraryEntry, libraryMessage, libraryNames, type ProtectedExport } from './library';
import { cpuSeconds, procStat, residentMiB } from './proc';
import { memoryIsolation, memoryWatchMiB, sandboxCommand } from './sandbox';
import { decodeValue } from './wire';

export interface Call {
  fn: string;
  args: unknown[];
  /** Which of the compiled modules to call (index; default 0). */
  module?: number;
  /** Keep nothing this call prints (a hidden case: its prints could reveal its inputs). */
  quiet?: boolean;
  /** Send back the arguments as they are after the call (`argsAfter`), to check they were left unchanged. */
  returnArgs?: boolean;
}

export type CallOutcome =
  | { status: 'ok'; value: unknown; argsAfter?: unknown[] }
  | { status: 'error'; message: string; library?: string[]; where?: string }
  | { status: 'timeout'; message: string }
  | { status: 'crash'; message: string };

export interface RunOptions {
  /**
   * Time limit for one call, in milliseconds (default 10 s): processor time while the call works,
   * wall-clock time while it waits (a promise that never settles), so load on the machine does
   * not decide it; `wallFactor` times it on the wall clock for a process that neither works nor sleeps.
   */
  callTimeoutMs?: number;
  /** Time limit for starting the process, and for loading each module (default 20 s), measured as calls are. */
  loadTimeoutMs?: number;
  /** Time limit for all calls of one run together (default 120 s, processor time); calls past it time out. */
  totalTimeoutMs?: number;
  /** The wall-clock backstop of every limit, as a multiple of it (default 10); where /proc is there, it does not end a process that is runnable (working as fast as the machine lets it). */
  wallFactor?: number;
  /**
   * After this many calls of one function have timed out, its remaining calls are not run and
   * count as timeouts (default 2; Infinity runs every call), so a slow honest function that times
   * out on one large case still runs the cases after it. A function that has not finished a single
   * call yet is given up after its first timeout: nothing says it ever returns, and a looping
   * function (or one that calls it) then costs a class's grader one time limit, not one per case.
   */
  timeoutsPerFunction?: number;
  /**
   * Heap limit of the child, in MiB (default 1024): a process whose resident memory passes it by
   * 512 MiB (Buffers, typed arrays and stacks count too) is ended as out of memory, and the operating
   * system stops one 512 MiB further where it can (`memoryIsolation` in sandbox.ts).
   */
  heapMb?: number;
  /** At most this many characters of the child's own prints are kept (default 20,000). */
  maxOutputChars?: number;
  /** A result larger than this (JSON characters) is an error (default 1,000,000). */
  maxResultChars?: number;
  /** Longest message (an error's text) kept from the child, in characters (default 2,000). */
  maxMessageChars?: number;
  /** Library functions the calls may not reach (the library rule: `libraryRule` in library.ts; default none). */
  protectedExports?: ProtectedExport[];
  /** Further folders the child may read (the submission's own folder). */
  readable?: string[];
  /** Told of each call's outcome as soon as it is known (progress), with the call's index. */
  onCall?: (index: number, outcome: CallOutcome) => void;
  /** Take processes from here, started ahead of need (a class's grader keeps one; default: start each when needed). */
  pool?: ChildPool;
}

/** Every option set (the callback and the pool stay optional). */
type Limits = Required<Omit<RunOptions, 'onCall' | 'pool'>> & Pick<RunOptions, 'onCall' | 'pool'>;

export interface RunResult {
  outcomes: CallOutcome[];
  /** What the student's code printed (stdout and stderr), capped. */
  output: string;
  /** The same prints split by module: what was printed while each module's calls ran. */
  outputs: string[];
  /** Lines on the result channel that did not carry the job's token: attempts to forge results. */
  forgedLines: number;
  /** The same, by module (the module whose call was running). */
  forgedByModule: number[];
  /** Files found in the processes' private working folders afterwards: written past the sandbox (then removed). */
  writtenFiles: number;
  /** Where the time went. */
  timing: RunTiming;
}

/** Wall-clock milliseconds of one run, split by what the process was doing. */
export interface RunTiming {
  /** Starting processes, up to the moment the first call could be sent. */
  startMs: number;
  /** Loading modules and running calls that ended (with a result, an error or a crash). */
  casesMs: number;
  /** Calls that ran into a time limit. */
  waitingMs: number;
  /** Processor time the processes used, start included (milliseconds; 0 where /proc is not there). */
  cpuMs: number;
}

/** The built child script; the runner needs `npm run build` to have run. */
export function childScript(): string {
  const script = path.join(packageRoot(), 'dist', 'grading', 'child.js');
  if (!fs.existsSync(script)) throw new Error(`nasbook: ${script} is missing; run 'npm run build' first`);
  return script;
}

/** A sandboxed child that has started (or is starting) and has not yet been sent a job. */
interface Started {
  child: ChildProcess;
  /** Its empty private working folder, checked and removed when the child is gone. */
  workDir: string;
  /** The sandbox settings it was started with: a child serves only a run with the same ones. */
  key: string;
  /** Set if the process could not be started at all. */
  error: Error | null;
}

/** The sandbox settings that shape a child's command line. */
type StartSettings = Pick<Limits, 'heapMb' | 'readable'>;

function startKey(settings: StartSettings): string {
  return JSON.stringify([settings.heapMb, settings.readable]);
}

function startChild(settings: StartSettings): Started {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-child-'));
  // Not --enable-source-maps: with it, Node reads and parses the source map of every library file
  // the child loads (about a tenth of a correct submission's processor time); the runner maps a
  // student's error back to their TypeScript itself (sourcePosition).
  const { command, args } = sandboxCommand(childScript(), { heapMb: settings.heapMb, readable: settings.readable, workDir });
  const child = spawn(command, args, { cwd: workDir, stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env: {} });
  const started: Started = { child, workDir, key: startKey(settings), error: null };
  // Listened to from the start: a child that fails to start while it waits in a pool must not throw in the grader.
  child.on('error', (e) => (started.error ??= e));
  child.stdin!.on('error', () => undefined); // a child that dies early closes its stdin
  return started;
}

function alive(s: Started): boolean {
  return s.error === null && s.child.exitCode === null && s.child.signalCode === null && !s.child.killed;
}

/** End a child that never got a job, and remove its working folder once it is gone. */
function discard(s: Started): Promise<void> {
  return new Promise((resolve) => {
    const remove = () => {
      fs.rmSync(s.workDir, { recursive: true, force: true });
      resolve();
    };
    if (s.error !== null || s.child.exitCode !== null || s.child.signalCode !== null) return remove();
    s.child.once('close', remove);
    s.child.kill('SIGKILL');
  });
}

/**
 * Processes started ahead of need, so that starting Node (a tenth of a second of processor time
 * and more on a loaded machine) overlaps with the cases running in others. Isolation is unchanged:
 * a waiting process has been sent nothing (it runs only the grader's child script, blocked on its
 * stdin), and each serves exactly one session of `runCalls` (one chapter of one student, or the
 * calls left after a timeout ended the one before), in its own fresh working folder.
 * @example
 * const pool = new ChildPool(2);
 * try { await runCalls(compiled, calls, { pool }); } finally { await pool.close(); }
 */
export class ChildPool {
  private readonly waiting: Started[] = [];
  private closed = false;

  /**
   * @param size processes kept waiting (about the number of runs at once)
   * @throws RangeError if size is not an integer from 1 to 64
   */
  constructor(readonly size: number) {
    checkInt('size', size, { min: 1, max: 64 }, 'ChildPool');
  }

  /** A started child for these settings (a waiting one when there is one), and another started to wait in its place. */
  take(settings: StartSettings): Started {
    const key = startKey(settings);
    let i: number;
    while ((i = this.waiting.findIndex((s) => s.key === key)) >= 0) {
      const s = this.waiting.splice(i, 1)[0];
      if (alive(s)) {
        this.refill(settings);
        return s;
      }
      void discard(s);
    }
    this.refill(settings);
    return startChild(settings);
  }

  /** Keep `size` processes waiting, those for other settings making room first. */
  private refill(settings: StartSettings): void {
    if (this.closed) return;
    const key = startKey(settings);
    for (let i = 0; i < this.waiting.length && this.waiting.length >= this.size; ) {
      if (this.waiting[i].key === key) i++;
      else void discard(this.waiting.splice(i, 1)[0]);
    }
    while (this.waiting.length < this.size) this.waiting.push(startChild(settings));
  }

  /** End the waiting processes and remove their folders; later runs start their own. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.waiting.splice(0).map(discard));
  }
}

interface Sink {
  output: string;
  /** Prints attributed to the module whose call was running. */
  outputs: string[];
  /** The module whose call runs now, and whether its prints are dropped. */
  module: number;
  quiet: boolean;
  forgedLines: number;
  forgedByModule: number[];
}

interface Session {
  outcomes: CallOutcome[];
  /** A module whose loading was ended by a timeout or crash, with why: its calls are not retried. */
  poisoned: { module: number; outcome: CallOutcome } | null;
}

/** How often the parent looks at a child's processor time and memory, in milliseconds. */
const POLL_MS = 100;
/** The soonest it looks again near a limit: /proc counts processor time in hundredths of a second. */
const MIN_POLL_MS = 10;
/** A child asleep at every look over this long, using next to no processor time, is waiting, not working. */
const IDLE_WINDOW_MS = 1000;
const IDLE_SHARE = 0.05;

/**
 * A limit on one phase (starting, loading a module, one call), decided by what the process did,
 * not by the wall clock alone: a busy process is charged its processor time, so a machine under
 * load does not turn a slow honest call into a timeout, and an idle one (a promise that never
 * settles) is charged the time it waited. A wall-clock backstop catches everything else.
 */
interface Budget {
  limitMs: number;
  message: string;
  startWall: number;
  startCpu: number | null;
  /** (wall, cpu, asleep) samples of the last second, to tell waiting from working. */
  samples: { wall: number; cpu: number; sleeping: boolean }[];
}

/** Run calls[from..] in one child until they are done or one of them ends the child. */
function runSession(modules: { file: string; js: string }[], calls: Call[], from: number, run: RunState, opts: Limits, sink: Sink): Promise<Session> {
  return new Promise((resolve) => {
    const token = randomBytes(24).toString('hex');
    const started = opts.pool ? opts.pool.take(opts) : startChild(opts);
    const { child, workDir } = started;
    const outcomes: CallOutcome[] = [];
    const pending = calls.length - from;
    let current = -1; // index (relative) of the call running now; -1 while starting, -2 when done
    let finished = false;
    let buffer = '';
    let channelChars = 0;
    let loadingModule: number | null = null;
    let poisoned: Session['poisoned'] = null;
    let budget: Budget | null = null;
    let phaseStart = performance.now();
    let lastCpu = 0;
    // The heap limit does not cover Buffers and other memory outside the JS heap: watch the
    // whole process and end it well above the heap limit.
    const memoryLimit = memoryWatchMiB(opts.heapMb);
    const overMemory = () => {
      const rss = child.pid ? residentMiB(child.pid) : null;
      return rss !== null && rss > memoryLimit;
    };
    const oomMessage = `out of memory: the process used more than ${memoryLimit} MiB`;
    const cpuNow = () => (child.pid ? cpuSeconds(child.pid) : null);

    const arm = (ms: number, message: string) => {
      const cpu = cpuNow();
      budget = { limitMs: ms, message, startWall: performance.now(), startCpu: cpu, samples: [] };
    };
    /** Whether the phase ran out, by the rule of `Budget`; the reason if so. */
    const expired = (): string | null => {
      if (!budget) return null;
      const now = performance.now();
      const wall = now - budget.startWall;
      const stat = child.pid ? procStat(child.pid) : null;
      const cpu = stat?.cpu ?? null;
      if (run.cpuLimited && cpu !== null) run.cpuUsed += Math.max(0, cpu - lastCpu);
      if (cpu !== null) lastCpu = cpu;
      if (run.overTotal()) return 'the time limit for the whole submission ran out';
      if (cpu === null || budget.startCpu === null) return wall > budget.limitMs ? budget.message : null;
      if ((cpu - budget.startCpu) * 1000 > budget.limitMs) return budget.message;
      budget.samples.push({ wall: now, cpu, sleeping: stat!.sleeping });
      while (budget.samples.length > 1 && now - budget.samples[0].wall > IDLE_WINDOW_MS) budget.samples.shift();
      const first = budget.samples[0];
      const waiting = now - first.wall >= 0.9 * IDLE_WINDOW_MS && budget.samples.every((x) => x.sleeping) && (cpu - first.cpu) * 1000 < IDLE_SHARE * (now - first.wall);
      if (wall > budget.limitMs && waiting) return budget.message;
      // The wall-clock backstop is for a process that neither works nor sleeps (stuck in the kernel,
      // stopped). One that is runnable is working as fast as the machine lets it: its processor
      // time decides, or a starved honest call (a loaded machine, a niced grader) would time out.
      if (wall > budget.limitMs * opts.wallFactor && !stat!.runnable) return `${budget.message} (wall-clock limit)`;
      return null;
    };
    const look = (): void => {
      // Memory first: a process that is both over its memory and its time is there because of the memory.
      if (overMemory()) return fail({ status: 'crash', message: oomMessage });
      const why = expired();
      if (!why) return void (watch = setTimeout(look, nextLookMs()));
      // A process whose heap is full when its time runs out spent that time collecting garbage:
      // it ran out of memory, whichever limit a loaded machine let fire first.
      const rss = child.pid ? residentMiB(child.pid) : null;
      if (rss !== null && rss >= opts.heapMb) fail({ status: 'crash', message: `out of memory: the heap was full (${Math.round(rss)} MiB in use, limit ${opts.heapMb} MiB) when the time ran out` });
      else fail({ status: 'timeout', message: why });
    };
    /** The next look comes when the phase's processor time could run out, so a call that loops is ended close to its limit, not up to a poll later. */
    const nextLookMs = (): number => {
      const b = budget as Budget | null;
      if (!b || b.startCpu === null) return POLL_MS;
      return Math.min(POLL_MS, Math.max(MIN_POLL_MS, b.limitMs - (lastCpu - b.startCpu) * 1000));
    };
    let watch: NodeJS.Timeout = setTimeout(look, POLL_MS);

    const keep = (chunk: Buffer) => {
      if (sink.quiet || sink.output.length >= opts.maxOutputChars) return; // read and drop
      const text = chunk.toString('utf8').slice(0, opts.maxOutputChars - sink.output.length);
      sink.output += text;
      sink.outputs[sink.module] += text;
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);

    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(watch);
      run.timing.cpuMs += 1000 * (cpuNow() ?? lastCpu);
      child.kill('SIGKILL');
    };
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      // After the process is gone: whatever it left in its working folder was written past the
      // sandbox; it is counted, then removed with the folder.
      try {
        run.writtenFiles += fs.readdirSync(workDir).length;
      } catch {
        // already gone
      }
      fs.rmSync(workDir, { recursive: true, force: true });
      resolve({ outcomes, poisoned });
    };
    const closePhase = (timedOut: boolean) => {
      const ms = performance.now() - phaseStart;
      if (current === -1 && loadingModule === null) run.timing.startMs += ms;
      else if (timedOut) run.timing.waitingMs += ms;
      else run.timing.casesMs += ms;
      phaseStart = performance.now();
    };
    const fail = (outcome: Exclude<CallOutcome, { status: 'ok' }>) => {
      if (finished) return;
      if (current === -2) return finish(); // every call has reported
      closePhase(outcome.status === 'timeout');
      if (loadingModule !== null && current >= 0 && outcomes[current] === undefined) {
        const how = outcome.status === 'timeout' ? 'did not load in time' : 'crashed while loading';
        outcome = { status: outcome.status, message: `the module ${how}: ${outcome.message}` };
        poisoned = { module: loadingModule, outcome };
      }
      if (current >= 0 && outcome.status === 'timeout' && loadingModule === null) countTimeout(calls[from + current], run);
      if (current >= 0) settleCall(current, outcome);
      else for (let i = 0; i < pending; i++) settleCall(i, outcome);
      finish();
    };

    /** Send the next call's inputs, or the end of the job: only once the call before it has reported. */
    const sendNext = () => {
      for (;;) {
        const next = outcomes.length;
        if (next >= pending) {
          write({ end: true });
          return;
        }
        const c = calls[from + next];
        const givenUp = gaveUpOn(c, run, opts);
        if (givenUp) {
          settleCall(next, givenUp);
          continue;
        }
        write({ index: next, module: c.module ?? 0, fn: c.fn, args: c.args, returnArgs: c.returnArgs === true });
        return;
      }
    };
    const write = (value: unknown) => {
      if (!child.stdin!.destroyed) child.stdin!.write(`${JSON.stringify(value)}\n`);
    };
    /** Record a call's outcome once, and report it. */
    const settleCall = (i: number, outcome: CallOutcome) => {
      if (outcomes[i] !== undefined) return;
      outcomes[i] = outcome;
      countFinished(calls[from + i], outcome, run);
      opts.onCall?.(from + i, outcome);
    };
    const reported = (index: number, outcome: CallOutcome) => {
      if (index !== current || outcomes[index] !== undefined) return;
      settleCall(index, outcome);
      closePhase(false);
      budget = null;
      sendNext();
    };

    const onMessage = (m: ChildMessage) => {
      if (m.kind === 'ready') {
        closePhase(false);
        budget = null;
        sendNext();
      } else if (m.kind === 'loading') {
        // Loading a module (and the library it imports) has its own limit, so a slow machine
        // does not turn a first call into a timeout.
        loadingModule = m.module;
        arm(opts.loadTimeoutMs, `the module did not load within ${opts.loadTimeoutMs / 1000} s`);
      } else if (m.kind === 'loaded') {
        loadingModule = null;
        arm(opts.callTimeoutMs, `did not finish within ${opts.callTimeoutMs / 1000} s`);
      } else if (m.kind === 'start') {
        current = m.index;
        loadingModule = null;
        sink.module = calls[from + m.index]?.module ?? 0;
        sink.quiet = calls[from + m.index]?.quiet === true;
        phaseStart = performance.now();
        arm(opts.callTimeoutMs, `did not finish within ${opts.callTimeoutMs / 1000} s`);
      } else if (overMemory()) {
        // Checked when a call reports, not only by the periodic watch: memory taken and kept by a
        // call is charged to that call, not to whichever call runs when the watch next looks.
        fail({ status: 'crash', message: oomMessage });
      } else if (m.kind === 'result') {
        loadingModule = null;
        let outcome: CallOutcome;
        try {
          const decoded = decodeValue(String(m.value));
          outcome = calls[from + m.index]?.returnArgs
            ? { status: 'ok', value: (decoded as unknown[])[0], argsAfter: (decoded as unknown[])[1] as unknown[] }
            : { status: 'ok', value: decoded };
        } catch (e) {
          outcome = { status: 'error', message: capText(`the result could not be read: ${(e as Error).message}`, opts.maxMessageChars) };
        }
        reported(m.index, outcome);
      } else if (m.kind === 'error') {
        loadingModule = null;
        const library = Array.isArray(m.library) ? m.library.slice(0, 20).map((n) => capText(String(n), 100)) : [];
        const where = typeof m.where === 'string' && m.where ? { where: sourcePosition(capText(m.where, 1000), modules) } : {};
        reported(m.index, library.length ? { status: 'error', message: libraryMessage(library), library } : { status: 'error', message: capText(String(m.message), opts.maxMessageChars), ...where });
      } else if (m.kind === 'done') {
        // The child exits by itself now; wait for its pipes to close so its last prints are
        // read, but not for long. Its processor time is read while it is still there.
        lastCpu = cpuNow() ?? lastCpu;
        current = -2;
        budget = null;
        setTimeout(finish, 2000);
      }
    };

    const forged = () => {
      sink.forgedLines++;
      sink.forgedByModule[sink.module]++;
    };
    const onData = (chunk: Buffer) => {
      channelChars += chunk.length;
      // Genuine lines are bounded by maxResultChars; a flood on this channel is an attack.
      if (channelChars > 4 * opts.maxResultChars + 1_000_000) {
        forged();
        fail({ status: 'crash', message: 'flooded the result channel' });
        return;
      }
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (text === '') continue; // genuine lines start on a fresh line
        let message: (ChildMessage & { t?: unknown }) | null = null;
        try {
          message = JSON.parse(text) as ChildMessage & { t?: unknown };
        } catch {
          message = null;
        }
        if (!message || typeof message !== 'object' || message.t !== token) {
          forged();
          continue;
        }
        onMessage(message);
      }
    };
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      // Whatever a line holds, reading it must not throw out of this handler: that would end
      // the grader, not the student's call.
      try {
        onData(chunk);
      } catch (e) {
        fail({ status: 'error', message: capText(`the result could not be read: ${(e as Error).message}`, opts.maxMessageChars) });
      }
    });
    // 'close', not 'exit': 'exit' can come before the last lines on fd 3 have been read.
    child.on('close', (code, signal) => {
      const how = signal ?? `exit code ${code}`;
      // Under the operating system's memory limit a failed allocation aborts the process (SIGABRT):
      // the student's process cannot call abort() itself (child.ts removes it).
      const aborted = signal === 'SIGABRT' && memoryIsolation() === 'rlimit';
      const oom = code === 134 || aborted || /heap out of memory/i.test(sink.output) ? ' (out of memory)' : '';
      if (!finished) fail({ status: 'crash', message: `the process ended during this call (${how})${oom}` });
      clearTimeout(watch);
      settle();
    });
    const couldNotStart = (e: Error) => {
      fail({ status: 'crash', message: `could not start: ${e.message}` });
      settle();
    };
    child.on('error', couldNotStart);
    if (started.error) return couldNotStart(started.error);

    arm(opts.loadTimeoutMs, `the process did not start within ${opts.loadTimeoutMs / 1000} s`);
    write({
      modules, maxResultChars: opts.maxResultChars, maxMessageChars: opts.maxMessageChars, token,
      nasbookEntry: libraryEntry(), nasbookNames: libraryNames(), protected: opts.protectedExports,
      nodeModules: path.join(packageRoot(), 'node_modules'),
    } satisfies JobHeader);
  });
}

const sourceMaps = new WeakMap<{ js: string }, SourceMap | null>();

/** The inline source map a compiled module carries (compile.ts), parsed once; null if it has none. */
function sourceMapOf(module: { js: string }): SourceMap | null {
  let map = sourceMaps.get(module);
  if (map === undefined) {
    const m = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(module.js);
    try {
      map = m ? new SourceMap(JSON.parse(Buffer.from(m[1], 'base64').toString('utf8')) as SourceMapPayload) : null;
    } catch {
      map = null;
    }
    sourceMaps.set(module, map);
  }
  return map;
}

/**
 * `file:line:column` in a transpiled module (as the child reports where an error was thrown),
 * as the position in the student's TypeScript; unchanged when it cannot be mapped. The child's
 * report is untrusted text: only a file the run was given is looked up.
 */
export function sourcePosition(where: string, modules: readonly { file: string; js: string }[]): string {
  const m = /^(.*):(\d+):(\d+)$/.exec(where);
  const module = m ? modules.find((x) => x.file === m[1]) : undefined;
  const map = module ? sourceMapOf(module) : null;
  if (!m || !map) return where;
  const entry = map.findEntry(Number(m[2]) - 1, Number(m[3]) - 1) as { originalLine?: number; originalColumn?: number };
  if (entry.originalLine === undefined || entry.originalColumn === undefined) return where;
  return `${m[1]}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

/** `text`, cut to at most `max` characters (and said so). */
export function capText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (cut at ${max} characters)`;
}

/** What one `runCalls` keeps across its sessions. */
interface RunState {
  cpuLimited: boolean;
  cpuUsed: number;
  /** Calls timed out so far, by module and function. */
  timeouts: Map<string, number>;
  /** Functions (by module and function) that have finished a call within its limit: returned or threw. */
  finished: Set<string>;
  overTotal(): boolean;
  writtenFiles: number;
  timing: RunTiming;
}

function functionKey(call: Call): string {
  return `${call.module ?? 0}:${call.fn}`;
}

function countTimeout(call: Call | undefined, run: RunState): void {
  if (call) run.timeouts.set(functionKey(call), (run.timeouts.get(functionKey(call)) ?? 0) + 1);
}

/** Timeouts a function may have before its remaining calls are not run (Infinity: every call runs). */
function allowedTimeouts(key: string, run: RunState, opts: Limits): number {
  if (run.finished.has(key) || opts.timeoutsPerFunction === Infinity) return opts.timeoutsPerFunction;
  return Math.min(1, opts.timeoutsPerFunction);
}

/** The outcome of a call not run because its function timed out too often already, or null. */
function gaveUpOn(call: Call, run: RunState, opts: Limits): CallOutcome | null {
  const key = functionKey(call);
  const n = run.timeouts.get(key) ?? 0;
  if (n < allowedTimeouts(key, run, opts)) return null;
  const cases = n === 1 ? 'an earlier case' : `${n} earlier cases`;
  const never = run.finished.has(key) ? '' : ', and has finished none';
  return { status: 'timeout', message: `not run: ${call.fn} did not finish within ${opts.callTimeoutMs / 1000} s on ${cases}${never}` };
}

/** Note that a call's function finished within its limit (it returned or threw). */
function countFinished(call: Call | undefined, outcome: CallOutcome, run: RunState): void {
  if (call && (outcome.status === 'ok' || outcome.status === 'error')) run.finished.add(functionKey(call));
}

/**
 * Make each call, in order, on the compiled module(s) it names, in sandboxed child processes: one
 * process serves all modules (a student's chapters) until a call ends it.
 * @param compiled one compiled module, or several (calls name them by index)
 * @returns one outcome per call, in the order of `calls`
 * @throws Error if a module did not compile (check `compiled.js` first) or a call names no module
 */
export async function runCalls(compiled: Compiled | Compiled[], calls: Call[], options: RunOptions = {}): Promise<RunResult> {
  const list = Array.isArray(compiled) ? compiled : [compiled];
  for (const c of list) if (c.js === null) throw new Error(`runCalls: 'compiled' has compile errors: ${c.errors[0]}`);
  for (const c of calls) if ((c.module ?? 0) >= list.length) throw new RangeError(`runCalls: a call names module ${c.module}, but only ${list.length} were given`);
  const modules = list.map((c) => ({ file: c.file, js: c.js! }));
  const opts: Limits = {
    callTimeoutMs: options.callTimeoutMs ?? 10_000,
    loadTimeoutMs: options.loadTimeoutMs ?? 20_000,
    totalTimeoutMs: options.totalTimeoutMs ?? 120_000,
    wallFactor: options.wallFactor ?? 10,
    timeoutsPerFunction: options.timeoutsPerFunction ?? 2,
    heapMb: options.heapMb ?? 1024,
    maxOutputChars: options.maxOutputChars ?? 20_000,
    maxResultChars: options.maxResultChars ?? 1_000_000,
    maxMessageChars: options.maxMessageChars ?? 2000,
    protectedExports: options.protectedExports ?? [],
    readable: options.readable ?? [...new Set(list.map((c) => path.dirname(c.file)))],
    onCall: options.onCall,
    pool: options.pool,
  };
  const startWall = Date.now();
  const cpuLimited = cpuSeconds(process.pid) !== null;
  const run: RunState = {
    cpuLimited,
    cpuUsed: 0,
    // Processor time where it can be measured, with the wall clock as a backstop.
    overTotal: () => (cpuLimited ? run.cpuUsed * 1000 > opts.totalTimeoutMs || Date.now() - startWall > opts.totalTimeoutMs * opts.wallFactor : Date.now() - startWall > opts.totalTimeoutMs),
    timeouts: new Map(),
    finished: new Set(),
    writtenFiles: 0,
    timing: { startMs: 0, casesMs: 0, waitingMs: 0, cpuMs: 0 },
  };
  const outcomes: CallOutcome[] = [];
  const sink: Sink = { output: '', outputs: list.map(() => ''), module: 0, quiet: false, forgedLines: 0, forgedByModule: list.map(() => 0) };
  const poisoned = new Map<number, CallOutcome>();
  while (outcomes.length < calls.length) {
    const from = outcomes.length;
    const known = poisoned.get(calls[from].module ?? 0);
    const push = (outcome: CallOutcome) => {
      outcomes.push(outcome);
      opts.onCall?.(outcomes.length - 1, outcome);
    };
    if (known) {
      push(known);
      continue;
    }
    const givenUp = gaveUpOn(calls[from], run, opts);
    if (givenUp) {
      push(givenUp);
      continue;
    }
    if (run.overTotal()) {
      push({ status: 'timeout', message: 'the time limit for the whole submission ran out' });
      continue;
    }
    const session = await runSession(modules, calls, from, run, opts, sink);
    if (session.poisoned) poisoned.set(session.poisoned.module, session.poisoned.outcome);
    let got = 0;
    while (got < calls.length - from && session.outcomes[got] !== undefined) outcomes.push(session.outcomes[got++]);
    // The child ended between two calls without a word about the next one.
    if (got === 0) push({ status: 'crash', message: 'the process ended before this call returned' });
  }
  return { outcomes, output: sink.output, outputs: sink.outputs, forgedLines: sink.forgedLines, forgedByModule: sink.forgedByModule, writtenFiles: run.writtenFiles, timing: run.timing };
}

/**
 * Run calls on a compiled student module in a separate, sandboxed Node process, so that an
 * exception, an infinite loop, a memory bomb or an exit in student code costs only the call it
 * happened in. The parent keeps the clock: a call that runs past its time limit is ended by
 * killing the process, and the calls after it run in a fresh one. Only lines signed with the
 * job's token count as results.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../core/paths';
import type { ChildMessage } from './child';
import type { Compiled } from './compile';
import { sandboxFlags } from './sandbox';
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
  | { status: 'error'; message: string; where?: string }
  | { status: 'timeout'; message: string }
  | { status: 'crash'; message: string };

export interface RunOptions {
  /** Time limit for one call, in milliseconds (default 10 s). */
  callTimeoutMs?: number;
  /** Time limit for starting the process, and for loading each module (default 20 s). */
  loadTimeoutMs?: number;
  /** Time limit for all calls of one run together (default 120 s); calls past it time out. */
  totalTimeoutMs?: number;
  /** Heap limit of the child, in MiB (default 1024). */
  heapMb?: number;
  /** At most this many characters of the child's own prints are kept (default 20,000). */
  maxOutputChars?: number;
  /** A result larger than this (JSON characters) is an error (default 1,000,000). */
  maxResultChars?: number;
  /** Further folders the child may read (the submission's own folder). */
  readable?: string[];
  /** Told of each call's outcome as soon as it is known (progress), with the call's index. */
  onCall?: (index: number, outcome: CallOutcome) => void;
}

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
}

/** Every option set (the callback stays optional). */
type Limits = Required<Omit<RunOptions, 'onCall'>> & Pick<RunOptions, 'onCall'>;

/** The built child script; the runner needs `npm run build` to have run. */
export function childScript(): string {
  const script = path.join(packageRoot(), 'dist', 'grading', 'child.js');
  if (!fs.existsSync(script)) throw new Error(`nasbook: ${script} is missing; run 'npm run build' first`);
  return script;
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

/** Resident memory of a process in MiB (Linux), or null where /proc is not there. */
function residentMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Run calls[from..] in one child until they are done or one of them ends the child. */
function runSession(modules: { file: string; js: string }[], calls: Call[], from: number, deadline: number, opts: Limits, sink: Sink): Promise<Session> {
  return new Promise((resolve) => {
    const token = randomBytes(24).toString('hex');
    // --enable-source-maps: a student's error is located in their TypeScript, not in the transpiled text.
    const child = spawn(process.execPath, [...sandboxFlags({ heapMb: opts.heapMb, readable: opts.readable }), '--enable-source-maps', childScript()], {
      cwd: path.dirname(childScript()),
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      env: {},
    });
    const outcomes: CallOutcome[] = [];
    const pending = calls.length - from;
    /** Record a call's outcome once, and report it. */
    const settle = (i: number, outcome: CallOutcome) => {
      if (outcomes[i] !== undefined) return;
      outcomes[i] = outcome;
      opts.onCall?.(from + i, outcome);
    };
    let current = -1; // index (relative) of the call running now; -1 while starting, -2 when done
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    let buffer = '';
    let channelChars = 0;
    let loadingModule: number | null = null;
    let poisoned: Session['poisoned'] = null;
    // The heap limit does not cover Buffers and other memory outside the JS heap: watch the
    // whole process and end it well above the heap limit.
    const memoryLimit = opts.heapMb + 512;
    const overMemory = () => {
      const rss = child.pid ? residentMiB(child.pid) : null;
      return rss !== null && rss > memoryLimit;
    };
    const watch = setInterval(() => {
      if (overMemory()) fail({ status: 'crash', message: `out of memory: the process used more than ${memoryLimit} MiB` });
    }, 200);

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
      clearTimeout(timer);
      clearInterval(watch);
      child.kill('SIGKILL');
      resolve({ outcomes, poisoned });
    };
    const fail = (outcome: Exclude<CallOutcome, { status: 'ok' }>) => {
      if (current === -2) return finish(); // every call has reported
      if (loadingModule !== null && current >= 0 && outcomes[current] === undefined) {
        const how = outcome.status === 'timeout' ? 'did not load in time' : 'crashed while loading';
        outcome = { status: outcome.status, message: `the module ${how}: ${outcome.message}` };
        poisoned = { module: loadingModule, outcome };
      }
      if (current >= 0) settle(current, outcome);
      else for (let i = 0; i < pending; i++) settle(i, outcome);
      finish();
    };
    const arm = (ms: number, message: string) => {
      clearTimeout(timer);
      const left = deadline - Date.now();
      const limit = Math.max(0, Math.min(ms, left));
      const why = left < ms ? 'the time limit for the whole submission ran out' : message;
      timer = setTimeout(() => fail({ status: 'timeout', message: why }), limit);
    };

    const onMessage = (m: ChildMessage) => {
      if (m.kind === 'loading') {
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
        arm(opts.callTimeoutMs, `did not finish within ${opts.callTimeoutMs / 1000} s`);
      } else if (overMemory()) {
        // Checked when a call reports, not only by the periodic watch: memory taken and kept by a
        // call is charged to that call, not to whichever call runs when the watch next looks.
        fail({ status: 'crash', message: `out of memory: the process used more than ${memoryLimit} MiB` });
      } else if (m.kind === 'result') {
        loadingModule = null;
        let outcome: CallOutcome;
        try {
          const decoded = decodeValue(m.value);
          outcome = calls[from + m.index]?.returnArgs
            ? { status: 'ok', value: (decoded as unknown[])[0], argsAfter: (decoded as unknown[])[1] as unknown[] }
            : { status: 'ok', value: decoded };
        } catch (e) {
          outcome = { status: 'error', message: `the result could not be read: ${(e as Error).message}` };
        }
        settle(m.index, outcome);
      } else if (m.kind === 'error') {
        loadingModule = null;
        settle(m.index, m.where ? { status: 'error', message: m.message, where: m.where } : { status: 'error', message: m.message });
      } else if (m.kind === 'done') {
        // The child exits by itself now; wait for its pipes to close so its last prints are
        // read, but not for long.
        current = -2;
        clearTimeout(timer);
        timer = setTimeout(finish, 2000);
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
        fail({ status: 'error', message: `the result could not be read: ${(e as Error).message}` });
      }
    });
    // 'close', not 'exit': 'exit' can come before the last lines on fd 3 have been read.
    child.on('close', (code, signal) => {
      const how = signal ?? `exit code ${code}`;
      const oom = code === 134 || /heap out of memory/i.test(sink.output) ? ' (out of memory)' : '';
      fail({ status: 'crash', message: `the process ended during this call (${how})${oom}` });
    });
    child.on('error', (e) => fail({ status: 'crash', message: `could not start: ${e.message}` }));

    arm(opts.loadTimeoutMs, `the process did not start within ${opts.loadTimeoutMs / 1000} s`);
    child.stdin!.on('error', () => undefined); // a child that dies early closes its stdin
    child.stdin!.end(
      JSON.stringify({
        modules, calls: calls.slice(from).map((c) => ({ module: c.module ?? 0, fn: c.fn, args: c.args, returnArgs: c.returnArgs === true })), maxResultChars: opts.maxResultChars, token,
        nasbookEntry: path.join(packageRoot(), 'dist', 'index.js'),
        nodeModules: path.join(packageRoot(), 'node_modules'),
      }),
    );
  });
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
    heapMb: options.heapMb ?? 1024,
    maxOutputChars: options.maxOutputChars ?? 20_000,
    maxResultChars: options.maxResultChars ?? 1_000_000,
    readable: options.readable ?? [...new Set(list.map((c) => path.dirname(c.file)))],
    onCall: options.onCall,
  };
  const deadline = Date.now() + opts.totalTimeoutMs;
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
    if (Date.now() >= deadline) {
      push({ status: 'timeout', message: 'the time limit for the whole submission ran out' });
      continue;
    }
    const session = await runSession(modules, calls, from, deadline, opts, sink);
    if (session.poisoned) poisoned.set(session.poisoned.module, session.poisoned.outcome);
    let got = 0;
    while (got < calls.length - from && session.outcomes[got] !== undefined) outcomes.push(session.outcomes[got++]);
    // The child ended between two calls without a word about the next one.
    if (got === 0) push({ status: 'crash', message: 'the process ended before this call returned' });
  }
  return { outcomes, output: sink.output, outputs: sink.outputs, forgedLines: sink.forgedLines, forgedByModule: sink.forgedByModule };
}

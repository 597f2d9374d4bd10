/**
 * Run calls on a compiled student module in a separate Node process, so that an exception, an
 * infinite loop or a crash in student code costs only the call it happened in. The parent keeps
 * the clock: a call that runs past its time limit is ended by killing the process, and the calls
 * after it run in a fresh one.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../core/paths';
import type { ChildMessage } from './child';
import type { Compiled } from './compile';
import { decodeValue } from './wire';

export interface Call {
  fn: string;
  args: unknown[];
}

export type CallOutcome =
  | { status: 'ok'; value: unknown }
  | { status: 'error'; message: string }
  | { status: 'timeout'; message: string }
  | { status: 'crash'; message: string };

export interface RunOptions {
  /** Time limit for one call, in milliseconds (default 10 s). */
  callTimeoutMs?: number;
  /** Time limit for loading the module (default 20 s). */
  loadTimeoutMs?: number;
  /** Heap limit of the child, in MiB (default 1024). */
  heapMb?: number;
  /** At most this many characters of the child's own prints are kept (default 20,000). */
  maxOutputChars?: number;
  /** A result larger than this (JSON characters) is an error (default 1,000,000). */
  maxResultChars?: number;
}

export interface RunResult {
  outcomes: CallOutcome[];
  /** What the student's code printed (stdout and stderr), capped. */
  output: string;
}

/** The built child script; the runner needs `npm run build` to have run. */
export function childScript(): string {
  const script = path.join(packageRoot(), 'dist', 'grading', 'child.js');
  if (!fs.existsSync(script)) throw new Error(`nasbook: ${script} is missing; run 'npm run build' first`);
  return script;
}

interface Session {
  /** Outcomes for calls[from..], in order, as far as this child got. */
  outcomes: CallOutcome[];
}

/** Run calls[from..] in one child until they are done or one of them ends the child. */
function runSession(compiled: Compiled & { js: string }, calls: Call[], from: number, opts: Required<RunOptions>, sink: { output: string }): Promise<Session> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${opts.heapMb}`, childScript()], {
      cwd: path.dirname(compiled.file),
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
    });
    const outcomes: CallOutcome[] = [];
    let current = -1; // index (relative) of the call running now; -1 while loading
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    let buffer = '';

    const keep = (chunk: Buffer) => {
      if (sink.output.length < opts.maxOutputChars) sink.output += chunk.toString('utf8').slice(0, opts.maxOutputChars - sink.output.length);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);

    const arm = (ms: number, what: () => CallOutcome) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (current >= 0) outcomes[current] = what();
        else for (let i = 0; i < calls.length - from; i++) outcomes[i] = what();
        finish();
        child.kill('SIGKILL');
      }, ms);
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      resolve({ outcomes });
    };

    const onMessage = (m: ChildMessage) => {
      if (m.kind === 'load-error') {
        for (let i = 0; i < calls.length - from; i++) outcomes[i] = { status: 'error', message: `the module failed to load: ${m.message}` };
        finish();
      } else if (m.kind === 'start') {
        current = m.index;
        arm(opts.callTimeoutMs, () => ({ status: 'timeout', message: `did not finish within ${opts.callTimeoutMs / 1000} s` }));
      } else if (m.kind === 'result') {
        outcomes[m.index] = { status: 'ok', value: decodeValue(m.value) };
      } else if (m.kind === 'error') {
        outcomes[m.index] = { status: 'error', message: m.message };
      }
    };

    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          onMessage(JSON.parse(line) as ChildMessage);
        } catch {
          // A malformed line cannot come from the child script itself; ignore it.
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (!finished && current >= 0 && outcomes[current] === undefined) {
        outcomes[current] = { status: 'crash', message: `the process ended during this call (${signal ?? `exit code ${code}`})` };
      }
      finish();
    });
    child.on('error', (e) => {
      for (let i = 0; i < calls.length - from; i++) outcomes[i] ??= { status: 'crash', message: `could not start: ${e.message}` };
      finish();
    });

    arm(opts.loadTimeoutMs, () => ({ status: 'timeout', message: `the module did not load within ${opts.loadTimeoutMs / 1000} s` }));
    child.stdin!.on('error', () => undefined); // a child that dies early closes its stdin
    child.stdin!.end(
      JSON.stringify({ file: compiled.file, js: compiled.js, calls: calls.slice(from), maxResultChars: opts.maxResultChars }),
    );
  });
}

/**
 * Make each call on the compiled module, each in order, in child processes.
 * @returns one outcome per call, in the order of `calls`
 * @throws Error if the module did not compile (check `compiled.js` first)
 */
export async function runCalls(compiled: Compiled, calls: Call[], options: RunOptions = {}): Promise<RunResult> {
  if (compiled.js === null) throw new Error(`runCalls: 'compiled' has compile errors: ${compiled.errors[0]}`);
  const opts: Required<RunOptions> = {
    callTimeoutMs: options.callTimeoutMs ?? 10_000,
    loadTimeoutMs: options.loadTimeoutMs ?? 20_000,
    heapMb: options.heapMb ?? 1024,
    maxOutputChars: options.maxOutputChars ?? 20_000,
    maxResultChars: options.maxResultChars ?? 1_000_000,
  };
  const outcomes: CallOutcome[] = [];
  const sink = { output: '' };
  while (outcomes.length < calls.length) {
    const from = outcomes.length;
    const session = await runSession(compiled as Compiled & { js: string }, calls, from, opts, sink);
    let got = 0;
    while (got < calls.length - from && session.outcomes[got] !== undefined) outcomes.push(session.outcomes[got++]);
    // The child ended without reporting the next call (it exited in between): count it as a crash.
    if (got === 0) outcomes.push({ status: 'crash', message: 'the process ended before this call returned' });
  }
  return { outcomes, output: sink.output };
}

/**
 * The process that runs a student's module. It reads one job from stdin (the module's compiled
 * text and the calls to make), loads the module, makes each call in order, and writes one line
 * per result to file descriptor 3.
 *
 * Student code is untrusted and runs in this same process, so before it loads this script:
 * - keeps its own copies of everything it needs afterwards (JSON.stringify, fs.writeSync, exit),
 *   so patched globals cannot change what it reports;
 * - signs every line with a token it received on stdin and holds only in a local variable, so a
 *   line the student writes to fd 3 cannot pass for a result;
 * - builds each line from primitives only (no object reaches JSON.stringify), so a patched
 *   `Object.prototype.toJSON` cannot rewrite a line;
 * - removes `process.kill`, network globals and the modules a graded function has no use for.
 * The operating-system boundary (no reads outside the allowed folders, no writes, no processes,
 * no workers, no environment) is Node's permission model, set by the parent (sandbox.ts).
 *
 * Run by `runner.ts` as `node [sandbox flags] dist/grading/child.js`; not part of the public API.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';
import { encodeValue } from './wire';

interface Job {
  /** Compiled modules; a call names one by index. */
  modules: { file: string; js: string }[];
  /** `returnArgs`: send the arguments back after the call (with the result), to check they were left unchanged. */
  calls: { module: number; fn: string; args: unknown[]; returnArgs?: boolean }[];
  maxResultChars: number;
  /** Signs every line this process writes to fd 3. */
  token: string;
  /** Where `require("nasbook")` goes: the built library's entry file. */
  nasbookEntry: string;
  /** nasbook's node_modules, searched after the module's own folders. */
  nodeModules: string;
}

/** What the child reports, one line each (all carry the job's token as `t`). */
export type ChildMessage =
  | { kind: 'loading'; module: number }
  | { kind: 'loaded'; module: number }
  | { kind: 'start'; index: number }
  | { kind: 'result'; index: number; value: string }
  | { kind: 'error'; index: number; message: string; where?: string }
  | { kind: 'done' };

/** Modules a graded function has no use for; a student's import of one is reported by name. */
export const BLOCKED_MODULES = [
  'child_process', 'cluster', 'worker_threads', 'net', 'tls', 'dgram', 'http', 'https', 'http2', 'dns',
  'inspector', 'repl', 'vm', 'v8', 'trace_events', 'diagnostics_channel', 'async_hooks', 'module', 'wasi',
];

// Pristine copies, taken before any student code runs.
const stringify = JSON.stringify;
const toStringPrimitive = String;
const writeSync = fs.writeSync;
const reallyExit = process.exit.bind(process);

function quote(text: string): string {
  return stringify(toStringPrimitive(text)); // a primitive: no toJSON is consulted
}

function errorText(e: unknown): string {
  try {
    if (e instanceof LoadError) return e.message;
    if (e instanceof Error) return `${toStringPrimitive(e.name)}: ${toStringPrimitive(e.message)}`;
    return `non-Error thrown: ${toStringPrimitive(e)}`;
  } catch {
    return 'non-Error thrown (not printable)';
  }
}

/**
 * Where in the student's own files an error was thrown: `file:line:column` of the first stack frame
 * in one of them (TypeScript lines: the modules carry inline source maps and the child runs with
 * --enable-source-maps), or '' when none is.
 */
function studentFrame(e: unknown, files: readonly string[]): string {
  try {
    const stack = e instanceof Error ? toStringPrimitive(e.stack) : '';
    for (const line of stack.split('\n')) {
      for (const file of files) {
        const at = line.indexOf(`${file}:`);
        if (at < 0) continue;
        const m = /^:(\d+):(\d+)/.exec(line.slice(at + file.length));
        if (m) return `${file}:${m[1]}:${m[2]}`;
      }
    }
  } catch {
    // an unreadable stack: no location
  }
  return '';
}

/** A module that did not load: reported as such, not as an error of the called function. */
class LoadError extends Error {}

function refuse(what: string): () => never {
  return () => {
    throw new Error(`${what} is not allowed in graded code`);
  };
}

/** Replace `obj[name]` (when it is a function) by one that refuses. */
function disable(obj: unknown, name: string, what: string): void {
  const target = obj as Record<string, unknown> | null;
  if (target && typeof target[name] === 'function') {
    try {
      Object.defineProperty(target, name, { value: refuse(what), writable: false, configurable: false });
    } catch {
      // already locked: leave it
    }
  }
}

/**
 * Built-in modules are shared by every importer, so a student who reaches one by a side door
 * (require.main.require, process.getBuiltinModule) gets these disabled copies: no network, no
 * priority changes, no heap snapshots or inspector (either would expose this script's memory).
 */
function disableSideDoors(): void {
  const req = require as NodeJS.Require;
  const net = req('node:net') as Record<string, unknown>;
  for (const name of ['connect', 'createConnection', 'createServer']) disable(net, name, `net.${name}`);
  disable((net.Socket as { prototype: unknown }).prototype, 'connect', 'a network connection');
  disable((net.Server as { prototype: unknown }).prototype, 'listen', 'listening on the network');
  disable(req('node:dgram'), 'createSocket', 'a UDP socket');
  const dns = req('node:dns') as Record<string, unknown>;
  for (const name of Object.keys(dns)) if (/^(lookup|resolve)/.test(name)) disable(dns, name, 'a DNS query');
  for (const name of Object.keys(dns.promises as object)) if (/^(lookup|resolve)/.test(name)) disable(dns.promises, name, 'a DNS query');
  disable(req('node:tls'), 'connect', 'a TLS connection');
  for (const mod of ['node:http', 'node:https']) for (const name of ['request', 'get', 'createServer']) disable(req(mod), name, `${mod.slice(5)}.${name}`);
  disable(req('node:http2'), 'connect', 'an HTTP/2 connection');
  disable(req('node:http2'), 'createServer', 'an HTTP/2 server');
  disable(req('node:os'), 'setPriority', 'changing process priorities');
  const v8 = req('node:v8');
  disable(v8, 'getHeapSnapshot', 'a heap snapshot');
  disable(v8, 'writeHeapSnapshot', 'a heap snapshot');
  const inspector = req('node:inspector') as Record<string, unknown>;
  disable(inspector, 'open', 'the inspector');
  disable((inspector.Session as { prototype: unknown }).prototype, 'connect', 'the inspector');
  disable((inspector.Session as { prototype: unknown }).prototype, 'connectToMainThread', 'the inspector');
}

function lockDown(job: Job): void {
  disableSideDoors();
  const proc = process as unknown as Record<string, unknown>;
  for (const name of [
    'kill', '_kill', 'dlopen', '_debugProcess', '_startProfilerIdleNotifier', 'getBuiltinModule', 'mainModule',
    'setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'initgroups', 'binding', '_linkedBinding',
  ]) {
    try {
      delete proc[name];
    } catch {
      // not configurable: leave it
    }
  }
  const global = globalThis as unknown as Record<string, unknown>;
  for (const name of ['fetch', 'WebSocket', 'EventSource', 'XMLHttpRequest']) delete global[name];

  const internals = Module as unknown as {
    _load(request: string, parent: unknown, isMain: boolean): unknown;
    _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  };
  const load = internals._load;
  internals._load = function (request: string, parent: unknown, isMain: boolean) {
    const bare = request.startsWith('node:') ? request.slice(5) : request;
    // Only the student's own imports are screened; the library may load what it needs (the
    // permission model still stops it from spawning, writing or reading outside the sandbox).
    const from = (parent as { filename?: string } | null)?.filename;
    const fromStudent = job.modules.some((m) => m.file === from);
    if (fromStudent && BLOCKED_MODULES.includes(bare.split('/')[0])) {
      throw new Error(`importing '${request}' is not allowed in graded code`);
    }
    return load.call(this, request, parent, isMain);
  };
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (request: string, parent: unknown, isMain: boolean, options?: unknown) {
    // "nasbook" goes straight to the built library: the node_modules/nasbook link points at the
    // course folder, which holds the solutions, so the sandbox never grants reads through it.
    if (request === 'nasbook') return job.nasbookEntry;
    return resolve.call(this, request, parent, isMain, options);
  };
}

function loadModule(file: string, js: string, nodeModules: string): Record<string, unknown> {
  const m = new Module(file) as Module & { _compile(code: string, filename: string): void };
  m.filename = file;
  // The module's own folders first, then nasbook's packages: a submission anywhere on disk
  // imports what a student's copy of the course would.
  m.paths = [...(Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file)), nodeModules];
  m._compile(js, file);
  return m.exports as Record<string, unknown>;
}

async function runJob(job: Job): Promise<void> {
  // The signed prefix is made now, while String and JSON are still the built-ins. Each line also
  // starts on a fresh line, so a partial line student code wrote to fd 3 cannot spoil it.
  const signed = `\n{"t":${quote(job.token)},`;
  const line = (fields: string) => {
    writeSync(3, signed + fields + '}\n');
  };
  lockDown(job);
  // Each module is loaded when its first call comes, so a module that fails to load costs only
  // its own calls; the parent is told, so a module that hangs while loading is not retried.
  const loaded = new Map<number, { exports: Record<string, unknown> } | { error: string }>();
  const moduleExports = (index: number): Record<string, unknown> => {
    if (!loaded.has(index)) {
      const { file, js } = job.modules[index];
      line(`"kind":"loading","module":${index}`);
      try {
        loaded.set(index, { exports: loadModule(file, js, job.nodeModules) });
      } catch (e) {
        loaded.set(index, { error: `the module failed to load: ${errorText(e)}` });
      }
      line(`"kind":"loaded","module":${index}`);
    }
    const m = loaded.get(index)!;
    if ('error' in m) throw new LoadError(m.error);
    return m.exports;
  };
  const files = job.modules.map((m) => m.file);
  for (let index = 0; index < job.calls.length; index++) {
    const { module, fn, args, returnArgs } = job.calls[index];
    line(`"kind":"start","index":${index}`);
    let text: string;
    try {
      const target = moduleExports(module)[fn];
      if (typeof target !== 'function') throw new TypeError(`the module does not export a function '${fn}'`);
      const value: unknown = await (target as (...a: unknown[]) => unknown)(...args);
      text = encodeValue(returnArgs ? [value, args] : value, job.maxResultChars);
    } catch (e) {
      const where = studentFrame(e, files);
      line(`"kind":"error","index":${index},"message":${quote(errorText(e))}${where ? `,"where":${quote(where)}` : ''}`);
      continue;
    }
    line(`"kind":"result","index":${index},"value":${quote(text)}`);
  }
  line(`"kind":"done"`);
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

// Keep the event loop alive: a promise that never settles must time out in the parent, not end
// this process quietly as if the call had crashed.
setInterval(() => undefined, 1 << 30);

void readStdin()
  .then((text) => runJob(JSON.parse(text) as Job))
  .then(() => reallyExit(0));

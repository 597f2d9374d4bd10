/**
 * The process that runs a student's module. It reads a job header from stdin (the compiled
 * modules and how to report), then one call at a time: the parent sends a call's inputs only when
 * the call before it has reported, so no call ever shares the process with the inputs of a call
 * still to come (the hidden cases follow the public ones). Results go to file descriptor 3, one
 * line each.
 *
 * Student code is untrusted and runs in this same process, so before it loads this script:
 * - keeps its own copies of everything it needs afterwards (JSON, fs.readSync/writeSync, exit),
 *   so patched globals cannot change what it reads or reports;
 * - signs every line with a token it received on stdin and holds only in a local variable, so a
 *   line the student writes to fd 3 cannot pass for a result;
 * - builds each line from primitives only (no object reaches JSON.stringify), so a patched
 *   `Object.prototype.toJSON` cannot rewrite a line;
 * - caps every message it reports, so no string it sends is larger than the parent expects;
 * - closes every way to write a file that bypasses Node's permission model (V8 flags, heap
 *   snapshots, diagnostic reports, traces), to reach the network (sockets, UDP, DNS, HTTP), to
 *   signal or renice another process, or to load native code, on the shared built-in modules
 *   themselves, so no loader path (a forged parent module, `Module._load`, `getBuiltinModule`)
 *   reaches a working copy;
 * - wraps the library functions a chapter's exercises ask the student to write (the library rule):
 *   a graded call that reaches one, by any import path, is reported, not scored.
 * The operating-system boundary (no reads outside the allowed folders, no writes, no processes,
 * no workers, no environment; no network where a namespace is available) is set by the parent
 * (sandbox.ts).
 *
 * Run by `runner.ts` as `node [sandbox flags] dist/grading/child.js`; not part of the public API.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';
import type { ProtectedExport } from './library';
import { encodeValue } from './wire';

/** The first line on stdin. */
export interface JobHeader {
  /** Compiled modules; a call names one by index. */
  modules: { file: string; js: string }[];
  maxResultChars: number;
  /** Longest message (error text) this process reports, in characters. */
  maxMessageChars: number;
  /** Signs every line this process writes to fd 3. */
  token: string;
  /** Where `require("nasbook")` goes: the built library's entry file. */
  nasbookEntry: string;
  /** Each name the library exports, with the built folder entry that defines it (loaded on first use). */
  nasbookNames: Record<string, string>;
  /** nasbook's node_modules, searched after the module's own folders. */
  nodeModules: string;
  /** Library functions the graded code may not reach. */
  protected: ProtectedExport[];
}

/** Each later line on stdin: one call, or the end of the job. */
export type JobLine = { index: number; module: number; fn: string; args: unknown[]; returnArgs?: boolean } | { end: true };

/** What the child reports, one line each (all carry the job's token as `t`). */
export type ChildMessage =
  | { kind: 'ready' }
  | { kind: 'loading'; module: number }
  | { kind: 'loaded'; module: number }
  | { kind: 'start'; index: number }
  | { kind: 'result'; index: number; value: string }
  | { kind: 'error'; index: number; message: string; library?: string[]; where?: string }
  | { kind: 'done' };

/** Modules a graded function has no use for; a student's import of one is reported by name. */
export const BLOCKED_MODULES = [
  'child_process', 'cluster', 'worker_threads', 'net', 'tls', 'dgram', 'http', 'https', 'http2', 'dns',
  'inspector', 'repl', 'vm', 'v8', 'trace_events', 'diagnostics_channel', 'async_hooks', 'module', 'wasi',
];

// Pristine copies, taken before any student code runs.
const stringify = JSON.stringify;
const parseJson = JSON.parse;
const toStringPrimitive = String;
const writeSync = fs.writeSync;
const readSync = fs.readSync;
const reallyExit = process.exit.bind(process);
const sliceString = String.prototype.slice;
const indexOf = String.prototype.indexOf;
const SetClass = Set;
const setHas = Set.prototype.has;
const ownKeys = Object.keys;
const createObject = Object.create;
const atomicsWait = Atomics.wait;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const decoder = new TextDecoder();
const decode = TextDecoder.prototype.decode;

let maxMessageChars = 2000;

/** A string of at most `maxMessageChars` characters, whatever `text` is. */
function capped(text: unknown): string {
  const s = toStringPrimitive(text);
  return s.length <= maxMessageChars ? s : `${sliceString.call(s, 0, maxMessageChars)}... (cut at ${maxMessageChars} characters)`;
}

function quote(text: string): string {
  return stringify(capped(text)); // a primitive: no toJSON is consulted
}

function errorText(e: unknown): string {
  try {
    if (e instanceof LoadError) return e.message;
    if (e instanceof Error) return `${capped(e.name)}: ${capped(e.message)}`;
    return `non-Error thrown: ${capped(e)}`;
  } catch {
    return 'non-Error thrown (not printable)';
  }
}

/**
 * Where in the student's own files an error was thrown: `file:line:column` of the first stack frame
 * in one of them (a position in the transpiled module: the runner maps it back to the student's
 * TypeScript with the module's source map), or '' when none is.
 */
function studentFrame(e: unknown, files: readonly string[]): string {
  try {
    const stack = e instanceof Error ? capped(e.stack) : '';
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

/** Replace `obj[name]` (a function, or a class) by one that refuses, for good. */
function disable(obj: unknown, name: string, what: string): void {
  const target = obj as Record<string, unknown> | null;
  if (!target || typeof target[name] !== 'function') return;
  try {
    Object.defineProperty(target, name, { value: refuse(what), writable: false, configurable: false });
  } catch {
    // already locked: leave it
  }
}

/** Disable every own function of `obj` whose name matches `pattern`. */
function disableMatching(obj: unknown, pattern: RegExp, what: string): void {
  if (!obj) return;
  for (const name of Object.getOwnPropertyNames(obj)) if (pattern.test(name)) disable(obj, name, what);
}

/**
 * Built-in modules are shared by every importer, so a student who reaches one by any door (a forged
 * parent module, `Module._load`, `require.main.require`) gets these disabled copies: no network of
 * any class, no process signals or priorities, and none of the machinery that writes files past
 * the permission model (V8 flags, heap snapshots, reports, traces) or exposes this script's memory
 * (the inspector).
 */
function disableSideDoors(): void {
  // Every module is loaded before any is changed: some build on others (https on http's Agent).
  const loadedFirst: Record<string, unknown> = {};
  for (const name of ['net', 'dgram', 'dns', 'dns/promises', 'tls', 'http', 'https', 'http2', 'os', 'child_process', 'cluster', 'worker_threads', 'v8', 'inspector', 'trace_events', 'vm', 'wasi', 'repl']) {
    loadedFirst[`node:${name}`] = (require as NodeJS.Require)(`node:${name}`);
  }
  const req = (name: string) => loadedFirst[name];
  const net = req('node:net') as Record<string, unknown>;
  // net.Socket itself stays: Node builds process.stdout on it.
  for (const name of ['connect', 'createConnection', 'createServer']) disable(net, name, `net.${name}`);
  disable((net.Socket as { prototype: unknown }).prototype, 'connect', 'a network connection');
  disable((net.Server as { prototype: unknown }).prototype, 'listen', 'listening on the network');
  const dgram = req('node:dgram') as Record<string, unknown>;
  disable(dgram, 'createSocket', 'a UDP socket');
  disable(dgram, 'Socket', 'a UDP socket');
  const dns = req('node:dns') as Record<string, unknown>;
  disableMatching(dns, /^(lookup|resolve|reverse|Resolver|setServers|getServers|promises)/, 'a DNS query');
  disableMatching(dns.promises, /^(lookup|resolve|reverse|Resolver|setServers|getServers)/, 'a DNS query');
  disableMatching(req('node:dns/promises'), /^(lookup|resolve|reverse|Resolver|setServers|getServers)/, 'a DNS query');
  disableMatching(req('node:tls'), /^(connect|createServer|createSecureContext|TLSSocket|Server|createSecurePair)$/, 'a TLS connection');
  for (const mod of ['node:http', 'node:https']) disableMatching(req(mod), /^(request|get|createServer|Agent|Server|ClientRequest)$/, `${mod.slice(5)} networking`);
  disableMatching(req('node:http2'), /^(connect|createServer|createSecureServer)$/, 'HTTP/2 networking');
  disable(req('node:os'), 'setPriority', 'changing process priorities');
  disableMatching(req('node:child_process'), /./, 'starting a process');
  disableMatching(req('node:cluster'), /^(fork|setupPrimary|setupMaster)$/, 'starting a process');
  disable(req('node:worker_threads'), 'Worker', 'a worker thread');
  disableMatching(req('node:v8'), /^(setFlagsFromString|getHeapSnapshot|writeHeapSnapshot|setHeapSnapshotNearHeapLimit|takeCoverage|stopCoverage)$/, 'V8 internals');
  const inspector = req('node:inspector') as Record<string, unknown>;
  disableMatching(inspector, /^(open|close|url|waitForDebugger|Session)$/, 'the inspector');
  disableMatching(req('node:trace_events'), /^createTracing$/, 'tracing');
  disable(req('node:vm'), 'Script', 'vm');
  disableMatching(req('node:vm'), /^(runIn|compileFunction|createContext|measureMemory|SourceTextModule|SyntheticModule)/, 'vm');
  disableMatching(req('node:wasi'), /^WASI$/, 'WASI');
  disableMatching(req('node:repl'), /^start$/, 'a REPL');
}

/** The process object's own doors: signals, privileges, native code, reports, the working folder. */
function lockProcess(): void {
  const proc = process as unknown as Record<string, unknown>;
  for (const name of [
    'kill', '_kill', 'dlopen', '_debugProcess', '_debugEnd', '_startProfilerIdleNotifier', '_stopProfilerIdleNotifier', 'getBuiltinModule', 'mainModule',
    'setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'initgroups', 'binding', '_linkedBinding', 'chdir', 'abort', 'report',
  ]) {
    try {
      Object.defineProperty(proc, name, { value: undefined, writable: false, configurable: false });
    } catch {
      try {
        delete proc[name];
      } catch {
        // not configurable: leave it
      }
    }
  }
  const global = globalThis as unknown as Record<string, unknown>;
  for (const name of ['fetch', 'WebSocket', 'EventSource', 'XMLHttpRequest', 'Request', 'Response', 'Headers']) delete global[name];
}

/** Protected names reached during the current call (a null-prototype record: nothing student code patched is consulted). */
interface Reached {
  now: Record<string, true>;
}

/** The names of a record, in a fresh array (no patched iterator is used). */
function namesOf(record: Record<string, true>): string[] {
  return ownKeys(record);
}

/**
 * The library rule: each protected function is replaced, in the module that defines it, by a
 * wrapper that notes it was reached and then calls the original. The library's re-exports read
 * the defining module's exports when used, so `nasbook`, a deep path into dist/ and the library's
 * own callers all reach the wrapper. The module's cache entry is made permanent, so loading the
 * file afresh is refused.
 */
function protectLibrary(job: JobHeader, reached: Reached): void {
  const req = require as NodeJS.Require;
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  for (const { name, file } of job.protected) {
    const exports = req(file) as Record<string, unknown>;
    const original = exports[name];
    if (typeof original !== 'function') continue;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      reached.now[name] = true;
      return Reflect.apply(original as (...a: unknown[]) => unknown, this, args);
    };
    Object.defineProperty(wrapped, 'name', { value: (original as { name: string }).name });
    Object.defineProperty(exports, name, { value: wrapped, writable: false, configurable: false, enumerable: true });
    const entry = cache[file];
    if (entry) Object.defineProperty(cache, file, { value: entry, writable: false, configurable: false, enumerable: true });
  }
}

function lockLoader(job: JobHeader): void {
  const internals = Module as unknown as {
    _load(request: string, parent: unknown, isMain: boolean): unknown;
    _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
    prototype: { _compile(code: string, filename: string): unknown };
  };
  const load = internals._load;
  const protectedFiles = new SetClass(job.protected.map((p) => p.file));
  internals._load = function (request: string, parent: unknown, isMain: boolean) {
    const bare = request.startsWith('node:') ? request.slice(5) : request;
    // The student's own imports are screened so the report can name the module; the library may
    // load what it needs (the dangerous functions of those modules are disabled for everyone).
    const from = (parent as { filename?: string } | null)?.filename;
    const fromStudent = job.modules.some((m) => m.file === from);
    if (fromStudent && BLOCKED_MODULES.includes(bare.split('/')[0])) {
      throw new Error(`importing '${request}' is not allowed in graded code`);
    }
    return load.call(this, request, parent, isMain);
  };
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (request: string, parent: unknown, isMain: boolean, options?: unknown) {
    // "nasbook" goes to a facade that loads each part of the library on first use (a chapter's
    // process loads only what its code touches), never through the node_modules/nasbook link,
    // which points at the course folder (the solutions).
    if (request === 'nasbook') return facadeId;
    return resolve.call(this, request, parent, isMain, options);
  };
  // A protected file compiled a second time would hand out the unwrapped original.
  const compile = internals.prototype._compile;
  const protectedSources = new SetClass<string>();
  for (const file of protectedFiles) {
    try {
      protectedSources.add(fs.readFileSync(file, 'utf8'));
    } catch {
      // unreadable: nothing to compare against
    }
  }
  internals.prototype._compile = function (this: unknown, code: string, filename: string) {
    if (setHas.call(protectedSources, code) || (setHas.call(protectedFiles, filename) && (Module as unknown as { _cache: Record<string, unknown> })._cache[filename] !== this)) {
      throw new Error('loading a copy of the library implementation of this exercise is not allowed in graded code');
    }
    return compile.call(this, code, filename);
  };
  Object.defineProperty(internals.prototype, '_compile', { writable: false, configurable: false });
}

/**
 * The module id `require("nasbook")` resolves to inside the child: a name beside the library's
 * entry (no such file exists), so `require.resolve("nasbook")` still points into dist/.
 */
let facadeId = '';

/** A `nasbook` whose names load their part of the library when first read. */
function installFacade(job: JobHeader): void {
  facadeId = path.join(path.dirname(job.nasbookEntry), 'nasbook-facade.js');
  const facade = new Module(facadeId) as Module & { loaded: boolean };
  const exports: Record<string, unknown> = {};
  Object.defineProperty(exports, '__esModule', { value: true });
  const req = require as NodeJS.Require;
  for (const name of Object.keys(job.nasbookNames)) {
    const file = job.nasbookNames[name];
    Object.defineProperty(exports, name, { enumerable: true, get: () => (req(file) as Record<string, unknown>)[name] });
  }
  facade.exports = exports;
  facade.filename = facadeId;
  facade.loaded = true;
  (Module as unknown as { _cache: Record<string, unknown> })._cache[facadeId] = facade;
}

function loadModule(file: string, js: string, nodeModules: string, compile: (m: Module, code: string, file: string) => void): Record<string, unknown> {
  const m = new Module(file);
  m.filename = file;
  // The module's own folders first, then nasbook's packages: a submission anywhere on disk
  // imports what a student's copy of the course would.
  m.paths = [...(Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file)), nodeModules];
  compile(m, js, file);
  return m.exports as Record<string, unknown>;
}

/** Lines from stdin, read with blocking reads on the captured descriptor (student listeners on process.stdin do not see them first). */
function lineReader(): () => string | null {
  const chunk = Buffer.alloc(1 << 16);
  let pending = '';
  return () => {
    for (;;) {
      const nl = indexOf.call(pending, '\n');
      if (nl >= 0) {
        const line = sliceString.call(pending, 0, nl);
        pending = sliceString.call(pending, nl + 1);
        return line;
      }
      let n: number;
      try {
        n = readSync(0, chunk, 0, chunk.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          atomicsWait(sleepCell, 0, 0, 5); // stdin was made non-blocking: poll
          continue;
        }
        return null;
      }
      if (n === 0) return null;
      pending += decode.call(decoder, chunk.subarray(0, n), { stream: true });
    }
  };
}

async function runJob(): Promise<void> {
  // What does not depend on the job is done before it comes: a process started ahead of need
  // (runner.ts's pool) has it done while it waits, and no student code has run yet either way.
  disableSideDoors();
  const next = lineReader();
  const first = next();
  if (first === null) return;
  const job = parseJson(first) as JobHeader;
  maxMessageChars = job.maxMessageChars;
  // The signed prefix is made now, while String and JSON are still the built-ins. Each line also
  // starts on a fresh line, so a partial line student code wrote to fd 3 cannot spoil it.
  const signed = `\n{"t":${stringify(job.token)},`;
  const line = (fields: string) => {
    writeSync(3, signed + fields + '}\n');
  };
  const reached: Reached = { now: createObject(null) as Record<string, true> };
  const compile = Module.prototype as unknown as { _compile(code: string, file: string): void };
  const compileStudent = compile._compile;
  protectLibrary(job, reached);
  lockProcess();
  installFacade(job);
  lockLoader(job);
  line(`"kind":"ready"`);
  // Each module is loaded when its first call comes, so a module that fails to load costs only
  // its own calls; the parent is told, so a module that hangs while loading is not retried.
  const loaded = new Map<number, { exports: Record<string, unknown>; reached: string[] } | { error: string }>();
  const moduleState = (index: number) => {
    if (!loaded.has(index)) {
      const { file, js } = job.modules[index];
      line(`"kind":"loading","module":${index}`);
      try {
        const exports = loadModule(file, js, job.nodeModules, (m, code, f) => compileStudent.call(m, code, f));
        // Reached while loading: an answer computed ahead of the calls, charged to all of them.
        loaded.set(index, { exports, reached: namesOf(reached.now) });
      } catch (e) {
        loaded.set(index, { error: `the module failed to load: ${errorText(e)}` });
      }
      line(`"kind":"loaded","module":${index}`);
    }
    const m = loaded.get(index)!;
    if ('error' in m) throw new LoadError(m.error);
    return m;
  };
  const files = job.modules.map((m) => m.file);
  /** Protected names reached so far: a later call of one of them may be returning a kept answer. */
  const ever = createObject(null) as Record<string, true>;
  for (;;) {
    const text = next();
    if (text === null) break;
    const call = parseJson(text) as JobLine;
    if ('end' in call) break;
    const { index, module, fn, args, returnArgs } = call;
    line(`"kind":"start","index":${index}`);
    reached.now = createObject(null) as Record<string, true>;
    let value: string | null = null;
    let failure: string | null = null;
    let where = '';
    let atLoad: string[] = [];
    try {
      const state = moduleState(module);
      atLoad = state.reached;
      const target = state.exports[fn];
      if (typeof target !== 'function') throw new TypeError(`the module does not export a function '${fn}'`);
      const result: unknown = await (target as (...a: unknown[]) => unknown)(...args);
      value = encodeValue(returnArgs ? [result, args] : result, job.maxResultChars);
    } catch (e) {
      failure = errorText(e);
      where = studentFrame(e, files);
    }
    const used = reached.now;
    for (let i = 0; i < atLoad.length; i++) used[atLoad[i]] = true;
    if (ever[fn] === true) used[fn] = true;
    const names = namesOf(used);
    for (let i = 0; i < names.length; i++) ever[names[i]] = true;
    if (names.length > 0) {
      // The parent words the message: this process only names what was reached.
      let list = '';
      for (let i = 0; i < names.length; i++) list += `${i ? ',' : ''}${quote(names[i])}`;
      line(`"kind":"error","index":${index},"message":"","library":[${list}]`);
    } else if (failure !== null) {
      line(`"kind":"error","index":${index},"message":${quote(failure)}${where ? `,"where":${quote(where)}` : ''}`);
    } else {
      line(`"kind":"result","index":${index},"value":${stringify(value)}`);
    }
  }
  line(`"kind":"done"`);
}

// Keep the event loop alive: a promise that never settles must time out in the parent, not end
// this process quietly as if the call had crashed.
setInterval(() => undefined, 1 << 30);

void runJob().then(
  () => reallyExit(0),
  (e: unknown) => {
    if (process.env.NASBOOK_CHILD_DEBUG) writeSync(2, `${(e as Error)?.stack ?? String(e)}\n`);
    reallyExit(70);
  },
);

/**
 * Compile one exercise file (TypeScript) in the trusted process: type-check it the way a student's
 * editor would, and transpile it to CommonJS. A type error costs only that file: the caller scores
 * its cases as a compile error and goes on.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as TS from 'typescript';
import { packageRoot } from '../core/paths';

export interface Compiled {
  file: string;
  /** CommonJS text, or null when the file did not compile. */
  js: string | null;
  /** One readable line per error: `01-no-free-lunch.ts(12,5): Type 'string' is not assignable...`. */
  errors: string[];
}

let loaded: typeof TS | undefined;

/**
 * The TypeScript compiler, loaded on first use: it takes a fifth of a second to load, and every
 * process that imports "nasbook" (a student's, for one) would pay for it otherwise.
 */
function typescript(): typeof TS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('typescript') as typeof TS);
}

function baseOptions(ts: typeof TS): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ['lib.es2022.d.ts'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
  };
}

/** Node's type declarations and nasbook's own, from nasbook's install, wherever the checked file lives. */
function compilerOptions(ts: typeof TS): TS.CompilerOptions {
  // "nasbook" maps to this package, so a file outside the course folder type-checks the same.
  const root = packageRoot();
  return { ...baseOptions(ts), typeRoots: [path.join(root, 'node_modules', '@types')], types: ['node'], baseUrl: root, paths: { nasbook: [root] } };
}

/**
 * Declaration files (TypeScript's lib, @types/node, nasbook's own .d.ts) parsed once per process
 * and shared by every compilation, as an editor's language service does: parsing them is most of
 * the cost of checking one small exercise file, and a class has hundreds.
 */
const sharedDeclarations = new Map<string, TS.SourceFile>();

/**
 * Where modules and type references were found from the shared declarations, and the package.json
 * files above them, kept across programs: resolving the library's hundreds of imports again was a
 * third of building each program (profiled: 30 programs of the 9 solutions in one thread). Only
 * resolutions made from inside the library's own trees go in (see `inLibraryTree`), so what a
 * student's file imports is resolved afresh for each program, and one student's folder never
 * answers for another's; the package.json lookups are by exact path.
 */
interface SharedResolutions {
  key: string;
  modules: TS.ModuleResolutionCache;
  typeReferences: TS.TypeReferenceDirectiveResolutionCache;
}
let sharedResolutions: SharedResolutions | undefined;

function resolutionCaches(ts: typeof TS, options: TS.CompilerOptions, currentDirectory: string, canonical: (s: string) => string): SharedResolutions {
  // The options and the working folder are part of every answer: other ones start afresh.
  const key = JSON.stringify([options, currentDirectory]);
  if (sharedResolutions?.key !== key) {
    const modules = ts.createModuleResolutionCache(currentDirectory, canonical, options);
    const typeReferences = ts.createTypeReferenceDirectiveResolutionCache(currentDirectory, canonical, options, modules.getPackageJsonInfoCache());
    sharedResolutions = { key, modules, typeReferences };
  }
  return sharedResolutions;
}

/**
 * Whether a file belongs to the declarations every submission shares (nasbook's dist/ and
 * node_modules/), which do not change while a class is graded, and not to the submission itself
 * (the folders of the program's own files).
 */
function inLibraryTree(file: string, roots: readonly string[]): boolean {
  const normal = path.resolve(file);
  if (roots.some((root) => normal.startsWith(path.dirname(root) + path.sep))) return false;
  // The package's own trees only: a node_modules folder elsewhere (one a student ships beside or
  // above their files, say) is not shared, whatever it is called.
  return ['dist', 'node_modules'].some((tree) => normal.startsWith(path.join(packageRoot(), tree) + path.sep));
}

/**
 * Resolve modules and type references in `host` with the shared caches for what the library's
 * declarations import, and with caches of this program alone for what the submission's files import.
 */
function shareResolutions(ts: typeof TS, host: TS.CompilerHost, options: TS.CompilerOptions, roots: readonly string[]): void {
  const directory = host.getCurrentDirectory();
  const canonical = host.getCanonicalFileName.bind(host);
  const caches = resolutionCaches(ts, options, directory, canonical);
  // The program asks it for the package.json above each file under node_modules (whether a file is
  // CommonJS or ESM): without it, every program read and parsed them all again.
  host.getModuleResolutionCache = () => caches.modules;
  // What the submission's own files import: a cache of this program alone, as TypeScript does by default.
  const own = ts.createModuleResolutionCache(directory, canonical, options);
  const ownTypeReferences = ts.createTypeReferenceDirectiveResolutionCache(directory, canonical, options, own.getPackageJsonInfoCache());
  // The automatic type references ("types": ["node"]) are found in the typeRoots, from a file that does not exist.
  const inferred = path.join(directory, '__inferred type names__.ts');
  const isShared = new Map<string, boolean>();
  const shared = (containingFile: string) => {
    let answer = isShared.get(containingFile);
    if (answer === undefined) isShared.set(containingFile, (answer = containingFile === inferred || inLibraryTree(containingFile, roots)));
    return answer;
  };
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts, containingSourceFile) =>
    literals.map((literal) =>
      ts.resolveModuleName(literal.text, containingFile, opts, host, shared(containingFile) ? caches.modules : own, redirected, ts.getModeForUsageLocation(containingSourceFile, literal, opts)),
    );
  host.resolveTypeReferenceDirectiveReferences = (references, containingFile, redirected, opts, containingSourceFile) =>
    references.map((reference) =>
      ts.resolveTypeReferenceDirective(
        typeof reference === 'string' ? reference : reference.fileName,
        containingFile,
        opts,
        host,
        redirected,
        shared(containingFile) ? caches.typeReferences : ownTypeReferences,
        ts.getModeForFileReference(reference, containingSourceFile?.impliedNodeFormat),
      ),
    );
}

function cachingHost(ts: typeof TS, options: TS.CompilerOptions, roots: readonly string[]): TS.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const parse = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.endsWith('.d.ts')) return parse(fileName, languageVersion, onError, shouldCreate);
    let file = sharedDeclarations.get(fileName);
    if (!file) {
      file = parse(fileName, languageVersion, onError, shouldCreate);
      if (file) sharedDeclarations.set(fileName, file);
    }
    return file;
  };
  shareResolutions(ts, host, options, roots);
  return host;
}

function formatDiagnostic(ts: typeof TS, d: TS.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return message;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${path.basename(d.file.fileName)}(${line + 1},${character + 1}): ${message}`;
}

/**
 * Type-check and transpile several files in one program (a student's chapters: the checker's work
 * on the library's types is shared). Each file gets its own errors: a type error in one file does
 * not touch another. Errors inside the libraries a file imports are not the student's and are ignored.
 * @throws Error if a file does not exist
 */
export function compileExercises(files: string[]): Compiled[] {
  const absolute = files.map((file) => {
    const full = path.resolve(file);
    if (!fs.existsSync(full)) throw new Error(`compileExercise: 'file' must be an existing file, got ${JSON.stringify(file)}`);
    return full;
  });
  const ts = typescript();
  const options = compilerOptions(ts);
  const program = ts.createProgram(absolute, options, cachingHost(ts, options, absolute));
  return absolute.map((file) => {
    const sourceFile = program.getSourceFile(file);
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).map((d) => formatDiagnostic(ts, d));
    if (errors.length) return { file, js: null, errors };
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      // An inline source map lets the runner report a student's error at its TypeScript line (sourcePosition in runner.ts).
      compilerOptions: { ...baseOptions(ts), noEmit: false, sourceMap: false, inlineSourceMap: true, inlineSources: false },
      fileName: file,
    });
    return { file, js: outputText, errors: [] };
  });
}

/**
 * Type-check and transpile one file (see `compileExercises`).
 * @throws Error if the file does not exist
 */
export function compileExercise(file: string): Compiled {
  return compileExercises([file])[0];
}

/** Bounds on type-checking one submission's files in a worker thread. */
export interface CompileLimits {
  /** Wall-clock limit for one type check, in milliseconds (default 60 s). */
  timeoutMs?: number;
  /** Heap of the worker, in MiB (default 1024). */
  heapMb?: number;
  /** Stack of the worker, in MiB (default 4, Node's own). */
  stackMb?: number;
  /** A larger exercise file is not type-checked at all (default 1 MiB). */
  maxFileBytes?: number;
  /** Workers at most (default: the number of cores). */
  workers?: number;
  /**
   * Told, after each check, how long the worker worked on it (not the wait for a free worker):
   * wall-clock and processor time in milliseconds (processor time null where /proc is not there).
   */
  onTiming?: (timing: { wallMs: number; cpuMs: number | null }) => void;
}

/** Every limit set (the callback stays optional). */
type Limits = Required<Omit<CompileLimits, 'onTiming'>> & Pick<CompileLimits, 'onTiming'>;

interface PoolWorker {
  worker: Worker;
  busy: boolean;
  key: string;
  /** The worker's thread id in the operating system, once it has said (null: not on Linux). */
  tid: number | null | undefined;
  /** The job's handler for the worker's answers. */
  onAnswer: ((m: { compiled?: Compiled[]; error?: string }) => void) | null;
}

/** Processor time a thread of this process has used, in seconds, or null where /proc is not there. */
function threadCpuSeconds(tid: number): number | null {
  try {
    const text = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const pool: PoolWorker[] = [];
const queue: (() => void)[] = [];

/** A worker thread with these limits, idle, or null when all that may exist are busy. */
function idleWorker(limits: Limits): PoolWorker | null {
  const key = `${limits.heapMb}/${limits.stackMb}`;
  const idle = pool.find((p) => !p.busy && p.key === key);
  if (idle) return idle;
  if (pool.filter((p) => p.busy).length >= limits.workers) return null;
  // An idle worker with other limits makes room.
  const other = pool.findIndex((p) => !p.busy);
  if (other >= 0) void pool.splice(other, 1)[0].worker.terminate();
  const script = path.join(packageRoot(), 'dist', 'grading', 'compileWorker.js');
  if (!fs.existsSync(script)) throw new Error(`nasbook: ${script} is missing; run 'npm run build' first`);
  const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, stackSizeMb: limits.stackMb } });
  worker.unref();
  const p: PoolWorker = { worker, busy: false, key, tid: undefined, onAnswer: null };
  worker.on('message', (m: { tid?: number | null; compiled?: Compiled[]; error?: string }) => {
    if ('tid' in m) p.tid = m.tid ?? null;
    else p.onAnswer?.(m);
  });
  pool.push(p);
  return p;
}

function release(p: PoolWorker, broken: boolean): void {
  p.busy = false;
  p.onAnswer = null;
  p.worker.removeAllListeners('error');
  p.worker.removeAllListeners('exit');
  if (broken) {
    pool.splice(pool.indexOf(p), 1);
    void p.worker.terminate();
  } else {
    p.worker.unref();
  }
  queue.shift()?.();
}

/** Why a type check gave no answer: said so in the file's compile error. */
type Failure = 'time' | 'memory' | 'stack' | 'crash';

/** Run one type check in a bounded worker: the compiled files, or why it failed. */
function checkInWorker(files: string[], limits: Limits): Promise<Compiled[] | { failure: Failure; detail: string }> {
  return new Promise((resolve) => {
    const start = () => {
      const p = idleWorker(limits);
      if (!p) return void queue.push(start);
      p.busy = true;
      p.worker.ref();
      let done = false;
      const end = (answer: Compiled[] | { failure: Failure; detail: string }, broken: boolean) => {
        if (done) return;
        done = true;
        clearInterval(timer);
        const cpu = p.tid ? threadCpuSeconds(p.tid) : null;
        limits.onTiming?.({ wallMs: performance.now() - startWall, cpuMs: cpu !== null && typeof startCpu === 'number' ? 1000 * (cpu - startCpu) : null });
        release(p, broken);
        resolve(answer);
      };
      // The limit is on the checker thread's processor time where it can be read, so a loaded
      // machine does not fail an honest file; the wall clock, at ten times the limit, backs it up.
      const startWall = performance.now();
      // A fresh worker has not said its thread id yet: its thread's time so far is all this job's.
      let startCpu: number | null | undefined = p.tid === undefined ? undefined : p.tid === null ? null : threadCpuSeconds(p.tid);
      const timer = setInterval(() => {
        if (startCpu === undefined && p.tid !== undefined) startCpu = p.tid === null ? null : 0;
        const cpu = p.tid ? threadCpuSeconds(p.tid) : null;
        const wall = performance.now() - startWall;
        const over = cpu !== null && typeof startCpu === 'number' ? (cpu - startCpu) * 1000 > limits.timeoutMs || wall > 10 * limits.timeoutMs : wall > limits.timeoutMs;
        if (over) end({ failure: 'time', detail: `more than ${limits.timeoutMs / 1000} s` }, true);
      }, 100);
      p.onAnswer = (m: { compiled?: Compiled[]; error?: string }) => {
        if (m.compiled) return end(m.compiled, false);
        const text = m.error ?? 'unknown error';
        end({ failure: /call stack/i.test(text) ? 'stack' : 'crash', detail: text.slice(0, 300) }, true);
      };
      p.worker.on('error', (e: Error & { code?: string }) => {
        end({ failure: e.code === 'ERR_WORKER_OUT_OF_MEMORY' || /memory/i.test(e.message) ? 'memory' : /call stack/i.test(e.message) ? 'stack' : 'crash', detail: e.message.slice(0, 300) }, true);
      });
      p.worker.on('exit', (code) => end({ failure: 'crash', detail: `the checker ended (exit code ${code})` }, true));
      p.worker.postMessage({ files });
    };
    start();
  });
}

const FAILURE_WORDS: Record<Failure, string> = {
  time: 'took too long', memory: 'ran out of memory', stack: 'nested too deeply for the checker (its stack overflowed)', crash: 'failed',
};

function failedFile(file: string, failure: Failure, detail: string): Compiled {
  return { file, js: null, errors: [`${path.basename(file)}: the type check of this file ${FAILURE_WORDS[failure]} (${detail}); simplify the file`] };
}

/**
 * `compileExercises` in a bounded worker thread (time, heap, stack, file size), so the grader's own
 * thread stays free and no file can stop it: a file over the size limit is not checked; when the
 * check of several files fails, each is checked alone, so the failure costs only the file that
 * caused it. Never rejects for a student's file: a failure is that file's compile error.
 * @throws Error if a file does not exist
 */
export async function compileExercisesAsync(files: string[], limitsIn: CompileLimits = {}): Promise<Compiled[]> {
  const limits: Limits = {
    timeoutMs: limitsIn.timeoutMs ?? 60_000,
    heapMb: limitsIn.heapMb ?? 1024,
    stackMb: limitsIn.stackMb ?? 4,
    maxFileBytes: limitsIn.maxFileBytes ?? 1024 * 1024,
    workers: limitsIn.workers ?? os.availableParallelism(),
    onTiming: limitsIn.onTiming,
  };
  const out: (Compiled | null)[] = files.map((file) => {
    const full = path.resolve(file);
    if (!fs.existsSync(full)) throw new Error(`compileExercise: 'file' must be an existing file, got ${JSON.stringify(file)}`);
    const size = fs.statSync(full).size;
    if (size > limits.maxFileBytes) {
      return { file: full, js: null, errors: [`${path.basename(full)}: the file has ${size} bytes; an exercise file may have at most ${limits.maxFileBytes}, so it was not type-checked`] };
    }
    return null;
  });
  const todo = files.map((f, i) => ({ file: path.resolve(f), i })).filter(({ i }) => out[i] === null);
  if (todo.length) {
    const together = await checkInWorker(todo.map((t) => t.file), limits);
    if (Array.isArray(together)) todo.forEach((t, k) => (out[t.i] = together[k]));
    else if (todo.length === 1) out[todo[0].i] = failedFile(todo[0].file, together.failure, together.detail);
    else {
      for (const t of todo) {
        const alone = await checkInWorker([t.file], limits);
        out[t.i] = Array.isArray(alone) ? alone[0] : failedFile(t.file, alone.failure, alone.detail);
      }
    }
  }
  return out as Compiled[];
}

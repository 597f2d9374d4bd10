/**
 * Compile one exercise file (TypeScript) in the trusted process: type-check it the way a student's
 * editor would, and transpile it to CommonJS. A type error costs only that file: the caller scores
 * its cases as a compile error and goes on.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import type * as TS from 'typescript';
import { packageRoot } from '../core/paths';
import { cpuSeconds } from './proc';

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

/** Bounds on type-checking one submission's files in a checker process. */
export interface CompileLimits {
  /** Limit for one type check, in milliseconds of the checker's processor time (default 60 s; ten times it on the wall clock). */
  timeoutMs?: number;
  /** Heap of the checker, in MiB (default 1024). */
  heapMb?: number;
  /** Stack of the checker, in MiB (default 4, about Node's own). */
  stackMb?: number;
  /** A larger exercise file is not type-checked at all (default 1 MiB). */
  maxFileBytes?: number;
  /** Checker processes at most (default: the number of cores). */
  workers?: number;
  /**
   * Told, after each check, how long the checker worked on it (not the wait for a free one):
   * wall-clock and processor time in milliseconds (processor time null where /proc is not there).
   */
  onTiming?: (timing: { wallMs: number; cpuMs: number | null }) => void;
}

/** Every limit set (the callback stays optional). */
type Limits = Required<Omit<CompileLimits, 'onTiming'>> & Pick<CompileLimits, 'onTiming'>;

/** What a checker answers: the compiled files, or why it could not. */
type Answer = { compiled?: Compiled[]; error?: string };

interface Checker {
  child: ChildProcess;
  busy: boolean;
  key: string;
  /** The job's handler for the checker's answers. */
  onAnswer: ((m: Answer) => void) | null;
  /** The end of what the checker wrote to stderr (V8 says there why it died). */
  stderr: string;
}

const pool: Checker[] = [];
const queue: (() => void)[] = [];

/** Let an idle checker neither keep the grader alive nor be kept from ending with it. */
function setReferenced(c: Checker, referenced: boolean): void {
  // The process, its IPC channel and its stderr pipe each hold the event loop.
  const stderr = c.child.stderr as unknown as { ref(): void; unref(): void } | null;
  const handles = [c.child, c.child.channel, stderr].filter((h): h is NonNullable<typeof h> => h != null);
  for (const h of handles) (referenced ? h.ref() : h.unref());
}

function startChecker(limits: Limits, key: string): Checker {
  const script = path.join(packageRoot(), 'dist', 'grading', 'compileWorker.js');
  if (!fs.existsSync(script)) throw new Error(`nasbook: ${script} is missing; run 'npm run build' first`);
  const child = fork(script, [], {
    // One background thread for V8: its collector and compiler threads otherwise cost as much as the check.
    execArgv: ['--v8-pool-size=1', `--max-old-space-size=${limits.heapMb}`, `--stack-size=${limits.stackMb * 1024 - 64}`],
    env: {},
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const c: Checker = { child, busy: false, key, onAnswer: null, stderr: '' };
  child.stderr!.on('data', (chunk: Buffer) => (c.stderr = (c.stderr + chunk.toString('utf8')).slice(-2000)));
  child.on('message', (m: Answer) => c.onAnswer?.(m));
  setReferenced(c, false);
  return c;
}

/** A checker with these limits, idle, or null when all that may exist are busy. */
function idleChecker(limits: Limits): Checker | null {
  const key = `${limits.heapMb}/${limits.stackMb}`;
  const idle = pool.find((c) => !c.busy && c.key === key);
  if (idle) return idle;
  if (pool.filter((c) => c.busy).length >= limits.workers) return null;
  // An idle checker with other limits makes room.
  const other = pool.findIndex((c) => !c.busy);
  if (other >= 0) pool.splice(other, 1)[0].child.kill('SIGKILL');
  const c = startChecker(limits, key);
  pool.push(c);
  return c;
}

function release(c: Checker, broken: boolean): void {
  c.busy = false;
  c.onAnswer = null;
  c.child.removeAllListeners('error');
  c.child.removeAllListeners('exit');
  if (broken) {
    pool.splice(pool.indexOf(c), 1);
    c.child.kill('SIGKILL');
  } else {
    setReferenced(c, false);
  }
  queue.shift()?.();
}

/**
 * End the idle checker processes and wait until they are gone (a later check starts new ones).
 * The grader's process may simply exit instead (a checker ends when its channel closes); this is
 * for a caller that goes on, or that counts its children's processor time once they have ended.
 */
export async function closeCheckers(): Promise<void> {
  const idle = pool.filter((c) => !c.busy);
  for (const c of idle) pool.splice(pool.indexOf(c), 1);
  await Promise.all(
    idle.map((c) => new Promise<void>((resolve) => {
      if (c.child.exitCode !== null || c.child.signalCode !== null) return resolve();
      c.child.once('exit', () => resolve());
      c.child.disconnect();
    })),
  );
}

/** Why a type check gave no answer: said so in the file's compile error. */
type Failure = 'time' | 'memory' | 'stack' | 'crash';

/** Why a checker that ended by itself ended: V8's words on stderr, or how it exited. */
function endedBecause(c: Checker, code: number | null, signal: NodeJS.Signals | null): { failure: Failure; detail: string } {
  if (/heap out of memory|allocation failed/i.test(c.stderr)) return { failure: 'memory', detail: 'the heap limit was reached' };
  if (/call stack|stack overflow/i.test(c.stderr)) return { failure: 'stack', detail: 'the stack limit was reached' };
  return { failure: 'crash', detail: `the checker ended (${signal ?? `exit code ${code}`})` };
}

/** Run one type check in a bounded checker process: the compiled files, or why it failed. */
function checkInChecker(files: string[], limits: Limits): Promise<Compiled[] | { failure: Failure; detail: string }> {
  return new Promise((resolve) => {
    const start = () => {
      const c = idleChecker(limits);
      if (!c) return void queue.push(start);
      c.busy = true;
      setReferenced(c, true);
      const cpuNow = () => (c.child.pid === undefined ? null : cpuSeconds(c.child.pid));
      let done = false;
      const end = (answer: Compiled[] | { failure: Failure; detail: string }, broken: boolean) => {
        if (done) return;
        done = true;
        clearInterval(timer);
        const cpu = cpuNow();
        limits.onTiming?.({ wallMs: performance.now() - startWall, cpuMs: cpu !== null && startCpu !== null ? 1000 * (cpu - startCpu) : null });
        release(c, broken);
        resolve(answer);
      };
      // The limit is on the checker's processor time where it can be read, so a loaded machine
      // does not fail an honest file; the wall clock, at ten times the limit, backs it up. A fresh
      // checker's start (loading the compiler) is charged to its first job.
      const startWall = performance.now();
      const startCpu = cpuNow();
      const timer = setInterval(() => {
        const cpu = cpuNow();
        const wall = performance.now() - startWall;
        const over = cpu !== null && startCpu !== null ? (cpu - startCpu) * 1000 > limits.timeoutMs || wall > 10 * limits.timeoutMs : wall > limits.timeoutMs;
        if (over) end({ failure: 'time', detail: `more than ${limits.timeoutMs / 1000} s` }, true);
      }, 100);
      c.onAnswer = (m: Answer) => {
        if (m.compiled) return end(m.compiled, false);
        const text = m.error ?? 'unknown error';
        end({ failure: /call stack/i.test(text) ? 'stack' : 'crash', detail: text.slice(0, 300) }, true);
      };
      c.child.on('error', (e: Error) => end({ failure: 'crash', detail: e.message.slice(0, 300) }, true));
      // 'exit' may come before the last of stderr: V8's reason is read once the pipe has it.
      c.child.on('exit', (code, signal) => setImmediate(() => end(endedBecause(c, code, signal), true)));
      c.child.send({ files });
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
 * `compileExercises` in a bounded checker process (time, heap, stack, file size; compileWorker.ts),
 * so the grader's own thread stays free and no file can stop it: a file over the size limit is not checked; when the
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
    const together = await checkInChecker(todo.map((t) => t.file), limits);
    if (Array.isArray(together)) todo.forEach((t, k) => (out[t.i] = together[k]));
    else if (todo.length === 1) out[todo[0].i] = failedFile(todo[0].file, together.failure, together.detail);
    else {
      for (const t of todo) {
        const alone = await checkInChecker([t.file], limits);
        out[t.i] = Array.isArray(alone) ? alone[0] : failedFile(t.file, alone.failure, alone.detail);
      }
    }
  }
  return out as Compiled[];
}

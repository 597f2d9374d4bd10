/**
 * Compile one exercise file (TypeScript) in the trusted process: type-check it the way a student's
 * editor would, and transpile it to CommonJS. A type error costs only that file: the caller scores
 * its cases as a compile error and goes on.
 */
import * as fs from 'node:fs';
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

function cachingHost(ts: typeof TS, options: TS.CompilerOptions): TS.CompilerHost {
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
  const program = ts.createProgram(absolute, options, cachingHost(ts, options));
  return absolute.map((file) => {
    const sourceFile = program.getSourceFile(file);
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).map((d) => formatDiagnostic(ts, d));
    if (errors.length) return { file, js: null, errors };
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      // An inline source map lets the child (run with --enable-source-maps) report a student's error at its TypeScript line.
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

let worker: Worker | null = null;
let nextJob = 0;
const waiting = new Map<number, { resolve: (c: Compiled[]) => void; reject: (e: Error) => void }>();

/** The compile worker, started on first use; it keeps the process alive only while a job is pending. */
function compileWorker(): Worker {
  if (worker) return worker;
  const script = path.join(packageRoot(), 'dist', 'grading', 'compileWorker.js');
  if (!fs.existsSync(script)) throw new Error(`nasbook: ${script} is missing; run 'npm run build' first`);
  const w = new Worker(script);
  w.on('message', (m: { id: number; compiled?: Compiled[]; error?: string }) => {
    const job = waiting.get(m.id);
    waiting.delete(m.id);
    if (waiting.size === 0) w.unref(); // idle: let the process exit
    if (m.error !== undefined) job?.reject(new Error(m.error));
    else job?.resolve(m.compiled!);
  });
  w.on('error', (e) => {
    for (const job of waiting.values()) job.reject(e);
    waiting.clear();
    worker = null;
  });
  w.unref();
  return (worker = w);
}

/**
 * `compileExercises` on a worker thread: the same result, without blocking this thread.
 * @throws Error if a file does not exist
 */
export function compileExercisesAsync(files: string[]): Promise<Compiled[]> {
  return new Promise((resolve, reject) => {
    const id = nextJob++;
    waiting.set(id, { resolve, reject });
    const w = compileWorker();
    w.ref(); // a job is pending: stay alive for its answer
    w.postMessage({ id, files });
  });
}

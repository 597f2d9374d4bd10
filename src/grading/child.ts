/**
 * The process that runs a student's module. It reads one job from stdin (the module's compiled
 * text and the calls to make), loads the module as if it sat at its own path (so its imports
 * resolve as they would for the student), makes each call in order, and writes one JSON line per
 * result to file descriptor 3. Students' own prints go to stdout/stderr, which the parent keeps
 * apart, so nothing a student prints can pass for a result.
 *
 * Run by `runner.ts` as `node dist/grading/child.js`; not part of the public API.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';
import { packageRoot } from '../core/paths';
import { encodeValue } from './wire';

interface Job {
  file: string;
  js: string;
  calls: { fn: string; args: unknown[] }[];
  maxResultChars: number;
}

/** What the child reports, one line each. */
export type ChildMessage =
  | { kind: 'loaded'; exports: string[] }
  | { kind: 'load-error'; message: string }
  | { kind: 'start'; index: number }
  | { kind: 'result'; index: number; value: string }
  | { kind: 'error'; index: number; message: string };

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  try {
    return `non-Error thrown: ${String(e)}`;
  } catch {
    return 'non-Error thrown';
  }
}

function send(message: ChildMessage): void {
  fs.writeSync(3, `${JSON.stringify(message)}\n`);
}

type ModuleInternals = typeof Module & { _nodeModulePaths(dir: string): string[] };

function loadModule(file: string, js: string): Record<string, unknown> {
  const m = new Module(file) as Module & { _compile(code: string, filename: string): void };
  m.filename = file;
  // The module's own node_modules chain first, then nasbook's: a student's file resolves
  // "nasbook" wherever it sits (a submission folder, a copy in /tmp).
  m.paths = [...(Module as ModuleInternals)._nodeModulePaths(path.dirname(file)), path.join(packageRoot(), 'node_modules')];
  m._compile(js, file);
  return m.exports as Record<string, unknown>;
}

async function runJob(job: Job): Promise<void> {
  let exported: Record<string, unknown>;
  try {
    exported = loadModule(job.file, job.js);
  } catch (e) {
    send({ kind: 'load-error', message: errorText(e) });
    return;
  }
  send({ kind: 'loaded', exports: Object.keys(exported) });
  for (let index = 0; index < job.calls.length; index++) {
    const { fn, args } = job.calls[index];
    send({ kind: 'start', index });
    const target = exported[fn];
    if (typeof target !== 'function') {
      send({ kind: 'error', index, message: `the module does not export a function '${fn}'` });
      continue;
    }
    try {
      const value: unknown = await (target as (...a: unknown[]) => unknown)(...args);
      send({ kind: 'result', index, value: encodeValue(value, job.maxResultChars) });
    } catch (e) {
      send({ kind: 'error', index, message: errorText(e) });
    }
  }
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
  .then(() => process.exit(0));

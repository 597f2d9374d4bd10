/**
 * The type check keeps what it learns about the library's declarations between programs (parsed
 * files, module resolutions, package.json lookups). These tests hold it to its promise: a
 * submission checked after others, in the same process or the same worker, gets exactly the
 * errors it gets when checked first, and nothing one submission declares or ships reaches another.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { packageRoot } from '../../src/core/paths';
import type { Compiled } from '../../src/grading/compile';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-compile-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function put(file: string, text: string): string {
  const full = path.join(scratch, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  return full;
}

const solution = (name: string) => fs.readFileSync(path.join(packageRoot(), 'solutions', name), 'utf8');

// Student A: correct files, a global declared by a script file, and a package of its own.
const a = [
  put('a/03-evolution.ts', solution('03-evolution.ts')),
  put('a/09-pareto.ts', `import { helper } from 'nasbook-helper';\nexport const fromHelper: number = helper;\n`),
  put('a/globals.ts', 'declare var leaked: number;\ninterface Array<T> { leakedMethod(): T }\n'),
];
put('a/node_modules/nasbook-helper/index.d.ts', 'export declare const helper: number;\n');
put('a/node_modules/nasbook-helper/package.json', '{ "name": "nasbook-helper", "types": "index.d.ts" }\n');

// Student B: uses what A declared (must not find it), calls the library wrongly, and has one clean file.
const b = [
  put('b/03-evolution.ts', solution('03-evolution.ts')),
  put('b/09-pareto.ts', `import { helper } from 'nasbook-helper';\nexport const x: number = leaked + helper;\nexport const y = [1].leakedMethod();\n`),
  put('b/04-bandits-bo.ts', `import { normalCdf } from 'nasbook';\nexport const p: number = normalCdf('0.5');\n`),
];

/** compile.ts as a fresh process would have it: no declarations parsed, no resolutions kept. */
async function freshCompile(): Promise<typeof import('../../src/grading/compile')> {
  vi.resetModules();
  return import('../../src/grading/compile');
}

const errorsOf = (compiled: Compiled[]) => compiled.map((c) => ({ file: path.relative(scratch, c.file), errors: c.errors, compiled: c.js !== null }));

describe('type checks that share the library between programs', () => {
  it('give a submission the same errors whether it is checked first or after another', async () => {
    const aFirst = errorsOf((await freshCompile()).compileExercises(a));
    const bFirst = errorsOf((await freshCompile()).compileExercises(b));
    const warm = await freshCompile();
    const aThenB = [warm.compileExercises(a), warm.compileExercises(b), warm.compileExercises(a)].map(errorsOf);
    expect(aThenB).toEqual([aFirst, bFirst, aFirst]);

    // What the equality means: A's files check; B sees neither A's globals nor A's package.
    expect(aFirst.every((f) => f.compiled && f.errors.length === 0)).toBe(true);
    const [b03, b09, b04] = bFirst;
    expect(b03).toEqual({ file: path.join('b', '03-evolution.ts'), errors: [], compiled: true });
    expect(b09.errors.join('\n')).toMatch(/Cannot find module 'nasbook-helper'/);
    expect(b09.errors.join('\n')).toMatch(/Cannot find name 'leaked'/);
    expect(b09.errors.join('\n')).toMatch(/Property 'leakedMethod' does not exist on type 'number\[\]'/);
    expect(b04.errors).toEqual([`04-bandits-bo.ts(2,36): Argument of type 'string' is not assignable to parameter of type 'number'.`]);
  }, 120_000);

  it('give the same errors from a worker that has checked other submissions as from a fresh process', async () => {
    const { compileExercisesAsync } = await import('../../src/grading/compile');
    // One worker, so the second and third checks run where the first left its caches.
    const inWorker = [];
    for (const files of [a, b, a, b]) inWorker.push(errorsOf(await compileExercisesAsync(files, { workers: 1 })));
    const fresh = [errorsOf((await freshCompile()).compileExercises(a)), errorsOf((await freshCompile()).compileExercises(b))];
    expect(inWorker).toEqual([...fresh, ...fresh]);
  }, 120_000);
});

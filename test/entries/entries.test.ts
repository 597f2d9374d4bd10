/**
 * The package's entry points as a user's code resolves them: plain `require` from a folder outside
 * the repository whose node_modules/nasbook links to it, and TypeScript with Node10 resolution
 * (what tslab uses: no package.json "exports"), each in a child process or a fresh compiler.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths';

const user = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-entries-'));
fs.mkdirSync(path.join(user, 'node_modules'));
fs.symlinkSync(packageRoot(), path.join(user, 'node_modules', 'nasbook'), 'dir');
afterAll(() => fs.rmSync(user, { recursive: true, force: true }));

/** What `require(entry)` exports, listed by a separate Node process started in the user's folder. */
function exportsOf(entry: string): string[] {
  const r = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(entry)}))))`], { cwd: user, encoding: 'utf8', timeout: 120_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as string[];
}

describe('package entry points', () => {
  it('the root holds what students and practitioners call, not the instructor tools', () => {
    const root = exportsOf('nasbook');
    for (const name of ['check', 'createRng', 'nb201Space', 'BayesOpt', 'loadBench', 'trainDigitsCell', 'runSearch']) expect(root).toContain(name);
    for (const name of ['gradeClass', 'writeGradebook', 'buildDigitsBench', 'mergeDigitsShards', 'nasbenchMain', 'runCalls']) expect(root).not.toContain(name);
  });

  it("'nasbook/grading' and 'nasbook/nasbench' resolve with plain require", () => {
    const grading = exportsOf('nasbook/grading');
    for (const name of ['gradeClass', 'writeGradebook', 'mergeGradebooks', 'releaseStudentEdition', 'writeGradescopeBundle', 'check']) expect(grading).toContain(name);
    const nasbench = exportsOf('nasbook/nasbench');
    for (const name of ['buildDigitsBench', 'mergeDigitsShards', 'readDigitsShard', 'verifyDigitsTable', 'nasbenchMain', 'loadBench']) expect(nasbench).toContain(name);
  });

  it('type-check under Node10 resolution, as tslab compiles a notebook cell; a missing name is an error', () => {
    const file = path.join(user, 'cell.ts');
    const compile = (source: string) => {
      fs.writeFileSync(file, source);
      const program = ts.createProgram([file], { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true, types: [] });
      return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    };
    expect(compile([
      'import { gradeClass, releaseStudentEdition } from "nasbook/grading";',
      'import { buildDigitsBench } from "nasbook/nasbench";',
      'import { check, createRng } from "nasbook";',
      'export const used = [gradeClass, releaseStudentEdition, buildDigitsBench, check, createRng];',
    ].join('\n'))).toEqual([]);
    expect(compile('import { gradeClass } from "nasbook";\nexport const g = gradeClass;').join('\n')).toMatch(/has no exported member 'gradeClass'/);
  });

  it('package.json ships the entry files', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { files: string[] };
    for (const f of ['grading.js', 'grading.d.ts', 'nasbench.js', 'nasbench.d.ts']) {
      expect(pkg.files).toContain(f);
      expect(fs.existsSync(path.join(packageRoot(), f))).toBe(true);
    }
  });
});

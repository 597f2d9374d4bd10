/**
 * The grader starts a process per chapter and student, and that process loads the built library
 * files the student's code imports (through the "nasbook" facade, one folder entry per name) and
 * the files that define the chapter's protected functions (the library rule, loaded before any
 * student code). tfjs alone costs about 0.25 s of processor time to load, more than the rest of a
 * chapter's grading, so none of those files may load it unless the chapter's graded functions need
 * it. Checked on the built dist in a fresh Node process per chapter, the way the child loads them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { courseDir, packageRoot } from '../../src/core/paths';
import { chapters, exerciseFileName } from '../../src/grading';
import { libraryNames, libraryRule } from '../../src/grading/library';

/** Chapters whose graded functions build tensors, so their processes may load tfjs (none today). */
const NEEDS_TFJS = new Set<string>();

/** The values (not types) a file imports from 'nasbook'. */
function nasbookImports(file: string): string[] {
  const names: string[] = [];
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'nasbook'/g)) {
    for (const part of m[1].split(',').map((p) => p.trim())) {
      if (part && !part.startsWith('type ')) names.push(part.split(/\s+as\s+/)[0]);
    }
  }
  return names;
}

/** The @tensorflow files a fresh Node process holds after requiring `files` in order, and after `then` (code run in it). */
function tfjsLoadedBy(files: readonly string[], then = ''): string[] {
  const script = `for (const f of ${JSON.stringify(files)}) require(f); ${then};
    process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('@tensorflow'))));`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: packageRoot(), encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`node -e failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}

const dist = (file: string) => path.join(packageRoot(), 'dist', file);

describe.each(chapters.map((c) => [`${c.chapter}-${c.slug}`, c] as const))('chapter %s', (_name, chapter) => {
  it(`its grading process loads tfjs only if its graded functions need it`, () => {
    // What the reference solution imports, and what the stub a student starts from imports.
    const imported = [...new Set(['solutions', 'exercises'].flatMap((kind) => nasbookImports(path.join(courseDir(kind as 'solutions' | 'exercises'), exerciseFileName(chapter)))))];
    const entries = imported.map((name) => {
      const file = libraryNames()[name];
      expect(file, `'${name}' is not a nasbook export`).toBeDefined();
      return file;
    });
    const files = [...new Set([...libraryRule(chapter).map((p) => p.file), ...entries])];
    const loaded = tfjsLoadedBy(files);
    if (NEEDS_TFJS.has(chapter.chapter)) expect(loaded.length).toBeGreaterThan(0);
    else expect(loaded, `loaded by ${files.map((f) => path.relative(packageRoot(), f)).join(', ')}`).toEqual([]);
  });
});

describe('modules that use tfjs only inside their functions', () => {
  it('the zero-cost proxies, the supernet and the No Free Lunch learners load without it', () => {
    const files = ['estimation/zerocost/proxies.js', 'tensor/supernet.js', 'tensor/step.js', 'tensor/batchNorm.js', 'nfl/index.js'].map(dist);
    expect(tfjsLoadedBy(files)).toEqual([]);
  });

  it('load it on the first call that needs it, and compute with it', () => {
    // An MLP learner fits on tfjs's default backend here: labels come back, and tfjs is now loaded.
    const fit = `const labels = require(${JSON.stringify(dist('nfl/index.js'))}).makeLearner('mlp').learn({ inputs: [0, 1], labels: [1, 0] }, { xSize: 3, ySize: 2 });
      if (labels.length !== 3 || labels[0] !== 1 || labels[1] !== 0) throw new Error('mlp predicted ' + labels)`;
    expect(tfjsLoadedBy([], fit).some((f) => f.includes('tfjs-core'))).toBe(true);
  });
});

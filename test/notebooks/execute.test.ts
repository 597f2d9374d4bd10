/**
 * Every notebook, executed top to bottom in real Jupyter with the nasbook (tslab) kernel, then
 * rendered to HTML and opened in headless Chromium: no cell may fail, every plot must be drawn,
 * the page must log no error and send no request to the network. A notebook with a headlines file
 * (test/notebooks/headlines/<name>.ts, see ./headlines.ts) has its headline results asserted on the
 * numbers it printed.
 *
 * Without Jupyter (outside CI) the suite says so loudly and is skipped; under CI=true it is required.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courseDir } from '../../src/core/paths';
import { findJupyter, KERNEL_NAME, writeKernelSpec } from '../../src/jupyter';
import { TIMING_MARK } from '../../src/viz/notebook';
import { inspectPage } from './browser';
import { headlinesFileOf, type Headlines } from './headlines';

const install = findJupyter();
const inCI = process.env.CI === 'true';
const notebooks = fs.readdirSync(courseDir('notebooks')).filter((f) => f.endsWith('.ipynb')).sort();
const chromium = '/usr/bin/chromium';

interface Output { output_type: string; ename?: string; evalue?: string; text?: string | string[] }
interface Notebook { cells: { cell_type: string; source: string | string[]; outputs?: Output[] }[]; metadata: { kernelspec?: { name?: string } } }

/**
 * What a notebook printed, in order: its stream text (console.log) and its markdown and plain-text
 * displays (showMarkdown), the outputs whose numbers the headline assertions read. HTML (tables,
 * figures) is left out.
 */
function textOf(nb: Notebook): string {
  const join = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join('') : (t ?? ''));
  return nb.cells
    .flatMap((c) => c.outputs ?? [])
    .map((o) => {
      const data = (o as { data?: Record<string, string | string[]> }).data ?? {};
      const rich = [data['text/markdown'], data['text/plain']].map(join).filter((t) => t !== '');
      return [join(o.text), ...rich.map((t) => `${t}\n`)].join('');
    })
    .join('');
}

function nbconvert(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(install.nbconvert!, args, { env, encoding: 'utf8', timeout: 20 * 60_000 });
}

/** Execute a notebook with nbconvert in the background; resolves to its exit code and stderr. */
function execute(source: string, output: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(install.nbconvert!, ['--to', 'notebook', '--execute', `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
      '--ExecutePreprocessor.timeout=900', source, '--output', output], { env });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

/** Every output a reader sees, in order, with the random ids of figure containers blanked. */
function visibleOutputs(nb: Notebook): string[] {
  return nb.cells.flatMap((c) => c.outputs ?? []).map((o) => {
    const data = (o as { data?: Record<string, string | string[]> }).data ?? {};
    const text = [o.text, ...Object.values(data)].map((t) => (Array.isArray(t) ? t.join('') : (t ?? ''))).join('\n');
    // Timings (lines printed by showTiming) are the one output allowed to differ between runs.
    return text.replace(/nasbook-fig-[0-9a-f-]+/g, 'FIGURE').replace(new RegExp(`^${TIMING_MARK} .*$`, 'gm'), `${TIMING_MARK} (timing)`);
  });
}

if (!install.nbconvert || !fs.existsSync(chromium)) {
  const missing = [!install.nbconvert && 'jupyter-nbconvert', !fs.existsSync(chromium) && chromium].filter(Boolean).join(' and ');
  if (inCI) {
    it('has Jupyter and Chromium (required under CI=true)', () => {
      throw new Error(`${missing} not found: .ci/run must install them`);
    });
  } else {
    console.warn(`\n!!! NOTEBOOK SUITE SKIPPED: ${missing} not found. Install them (see README) to execute the notebooks.\n`);
    describe.skip('notebooks', () => it.skip('needs Jupyter and Chromium', () => undefined));
  }
} else {
  describe('notebooks execute in Jupyter and render in Chromium', () => {
    let work: string;
    let env: NodeJS.ProcessEnv;

    beforeAll(() => {
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-nb-'));
      // A private Jupyter path: the test registers the kernel there, never in the user's own Jupyter.
      writeKernelSpec(path.join(work, 'jupyter', 'kernels'));
      env = { ...process.env, JUPYTER_PATH: path.join(work, 'jupyter'), PYDEVD_DISABLE_FILE_VALIDATION: '1' };
    });
    afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

    it('finds the notebooks, each committed without outputs and set to the nasbook kernel', () => {
      expect(notebooks.length).toBeGreaterThanOrEqual(2);
      for (const name of notebooks) {
        const nb = JSON.parse(fs.readFileSync(path.join(courseDir('notebooks'), name), 'utf8')) as Notebook;
        expect(nb.metadata.kernelspec?.name, name).toBe(KERNEL_NAME);
        expect(nb.cells.filter((c) => (c.outputs ?? []).length > 0).length, `${name} has committed outputs`).toBe(0);
      }
    });

    for (const name of notebooks) {
      it(`${name} runs top to bottom, twice with the same outputs, and its page draws every plot offline`, async () => {
        const executed = path.join(work, name);
        const again = path.join(work, `again-${name}`);
        const source = path.join(courseDir('notebooks'), name);
        const [run, rerun] = await Promise.all([execute(source, executed, env), execute(source, again, env)]);
        expect(run.status, `nbconvert failed on ${name}:\n${run.stderr.slice(-4000)}`).toBe(0);
        expect(rerun.status, `nbconvert failed on ${name} (second run):\n${rerun.stderr.slice(-4000)}`).toBe(0);
        // Determinism: same seeds, same numbers, same figures.
        const first = visibleOutputs(JSON.parse(fs.readFileSync(executed, 'utf8')) as Notebook);
        expect(first.length).toBeGreaterThan(0);
        expect(visibleOutputs(JSON.parse(fs.readFileSync(again, 'utf8')) as Notebook)).toEqual(first);

        const nb = JSON.parse(fs.readFileSync(executed, 'utf8')) as Notebook;
        const errors = nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === 'error'));
        expect(errors.map((e) => `${e.ename}: ${e.evalue}`)).toEqual([]);
        const printed = textOf(nb);
        // The chapter's headline results, asserted on the numbers the notebook printed.
        const headlinesFile = headlinesFileOf(name);
        if (fs.existsSync(headlinesFile)) {
          const { headlines } = (await import(pathToFileURL(headlinesFile).href)) as Headlines;
          headlines(printed);
        }

        const html = nbconvert(['--to', 'html', executed, '--output', executed.replace(/\.ipynb$/, '.html')], env);
        expect(html.status, html.stderr.slice(-2000)).toBe(0);
        const page = await inspectPage(executed.replace(/\.ipynb$/, '.html'));
        expect(page.errors).toEqual([]);
        expect(page.externalRequests).toEqual([]);
        expect(page.plots).toBeGreaterThan(0);
        expect(page.drawn).toBe(page.plots);
      }, 20 * 60_000);
    }
  });
}

/**
 * The classic Notebook, live in Chromium, as the issue saw it: run every cell, re-run the first
 * plot cell, save, reload the page: every plot must draw again (the saved notebook still carries
 * plotly.js), and the kernel indicator must say busy while a cell computes.
 *
 * Needs jupyter-notebook, the Jupyter Python packages and /usr/bin/chromium; skipped loudly without them.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { findJupyter, KERNEL_NAME, writeKernelSpec } from '../../src/jupyter';
import { CHROMIUM_ARGS, CHROMIUM_PATH, waitForPlots } from '../notebooks/browser';

const install = findJupyter();
const ready = install.notebook !== null && fs.existsSync(CHROMIUM_PATH);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Polls `js` in the page until it is truthy (or fails after `ms`). */
async function until(page: Page, js: string, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await page.evaluate(js).catch(() => false)) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const NOTEBOOK_READY = `(() => { const n = window.Jupyter && Jupyter.notebook; return !!(n && n.kernel && n.kernel.is_connected() && document.querySelector('#kernel_indicator_icon.kernel_idle_icon')); })()`;
const IDLE = `!!document.querySelector('#kernel_indicator_icon.kernel_idle_icon')`;

if (!ready) {
  const why = 'needs jupyter-notebook and /usr/bin/chromium';
  if (process.env.CI === 'true') it('has the classic Notebook and Chromium (required under CI=true)', () => expect.fail(why));
  else {
    console.warn(`\n!!! LIVE NOTEBOOK TEST SKIPPED: it ${why}.\n`);
    describe.skip('live classic Notebook', () => it.skip(why, () => undefined));
  }
} else {
  describe('the classic Notebook, live in Chromium', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-live-'));
    afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

    it('re-run the first plot cell, save, reload: every plot draws; the indicator is busy while a cell computes', async () => {
      writeKernelSpec(path.join(work, 'jupyter', 'kernels'));
      const sources = [
        'import { lineFigure, show } from "nasbook";\nconst fig = (t: string) => lineFigure([{ name: t, x: [1, 2, 3], y: [3, 1, 2] }], { title: t });',
        'show(fig("first"));',
        'show(fig("second"));\nshow(fig("third"));',
        'await new Promise((r) => setTimeout(r, 1000));\n"slept 1 s"',
        'await new Promise((r) => setTimeout(r, 4000));\n"slept 4 s"',
      ];
      const cells = sources.map((source) => ({ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null }));
      fs.writeFileSync(path.join(work, 'plots.ipynb'), JSON.stringify({ cells, metadata: { kernelspec: { name: KERNEL_NAME, display_name: 'TypeScript (nasbook)', language: 'typescript' } }, nbformat: 4, nbformat_minor: 4 }));
      const port = await freePort();
      const token = 'nasbook-live';
      const env = {
        ...process.env, HOME: path.join(work, 'home'), JUPYTER_PATH: path.join(work, 'jupyter'), JUPYTER_CONFIG_DIR: path.join(work, 'config'),
        JUPYTER_DATA_DIR: path.join(work, 'data'), JUPYTER_RUNTIME_DIR: path.join(work, 'runtime'), PYDEVD_DISABLE_FILE_VALIDATION: '1',
      };
      const root = typeof process.getuid === 'function' && process.getuid() === 0;
      const server = spawn(install.notebook!, ['--no-browser', '--ip=127.0.0.1', `--port=${port}`, `--NotebookApp.token=${token}`, `--notebook-dir=${work}`, ...(root ? ['--allow-root'] : [])], { env });
      let log = '';
      server.stderr.on('data', (c: Buffer) => (log += c));
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const url = `http://127.0.0.1:${port}/notebooks/plots.ipynb?token=${token}`;
        const deadline = Date.now() + 60_000;
        for (;;) {
          try {
            await page.goto(url, { timeout: 30_000 });
            break;
          } catch (e) {
            if (Date.now() > deadline) throw new Error(`the Notebook server did not answer: ${String(e)}\n${log.slice(-2000)}`);
            await page.waitForTimeout(500);
          }
        }
        await until(page, NOTEBOOK_READY, 120_000, 'the kernel');
        await page.evaluate('Jupyter.notebook.execute_all_cells()');
        await until(page, `Jupyter.notebook.get_cell(4).input_prompt_number > 0 && ${IDLE}`, 240_000, 'every cell');
        // Queue the two sleeping cells again, now that the page is not busy drawing: with tslab alone
        // both busy messages came at once and the indicator went idle when the 1 s cell ended, during
        // the 4 s one. Every state the indicator takes is recorded by the page, with its time.
        await page.evaluate(`window.nasbookStates = []; new MutationObserver(() => window.nasbookStates.push([Math.round(performance.now()), document.querySelector('#kernel_indicator_icon').className]))
          .observe(document.querySelector('#kernel_indicator_icon'), { attributes: true, attributeFilter: ['class'] })`);
        const slept = (await page.evaluate('Jupyter.notebook.get_cell(4).input_prompt_number')) as number;
        await page.evaluate('Jupyter.notebook.get_cell(3).execute(); Jupyter.notebook.get_cell(4).execute()');
        await until(page, `Jupyter.notebook.get_cell(4).input_prompt_number > ${slept} && ${IDLE}`, 120_000, 'the sleeping cells');
        const states = (await page.evaluate('window.nasbookStates')) as [number, string][];
        // After the last busy, the indicator stays busy through the 4 s sleep: the next state is the
        // final idle, at least 3.5 s later (before the fix the 1 s cell's idle came in between).
        const lastBusy = states.map(([, c]) => c).lastIndexOf('kernel_busy_icon');
        expect(lastBusy, JSON.stringify(states)).toBe(states.length - 2);
        expect(states.at(-1)![1], JSON.stringify(states)).toBe('kernel_idle_icon');
        expect(states.at(-1)![0] - states[lastBusy][0], `indicator states (ms, class): ${JSON.stringify(states)}`).toBeGreaterThanOrEqual(3500);
        const before = (await page.evaluate('Jupyter.notebook.get_cell(1).input_prompt_number')) as number;
        await page.evaluate('Jupyter.notebook.get_cell(1).execute()');
        await until(page, `Jupyter.notebook.get_cell(1).input_prompt_number > ${before} && ${IDLE}`, 120_000, 'the re-run');
        await page.evaluate('Jupyter.notebook.save_notebook()');
        await until(page, `!Jupyter.notebook.dirty`, 30_000, 'the save');
        await page.reload();
        await until(page, `!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded)`, 60_000, 'the reloaded notebook');
        const counts = await waitForPlots(page, 60_000);
        expect(counts).toEqual({ plots: 3, drawn: 3 });
      } finally {
        await browser.close();
        server.kill('SIGTERM');
        await new Promise((resolve) => server.on('exit', resolve));
      }
    }, 600_000);
  });
}

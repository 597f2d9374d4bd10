/**
 * Opens an exported notebook page (nbconvert --to html) in headless Debian Chromium and reports
 * what a reader would see: how many plot containers the page has, how many of them hold a drawn
 * plotly SVG with traces, every console or page error, and every request that would have left the
 * machine (such requests are aborted, so a page that needs the network shows it here).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export interface PageReport {
  /** Plot containers in the page (plotly graph divs, drawn or not). */
  plots: number;
  /** Containers holding a plotly `svg.main-svg` with at least one drawn trace. */
  drawn: number;
  /** Console errors (with their source URL) and uncaught page errors, in order of arrival. */
  errors: string[];
  /** URLs of requests whose scheme is not file:, data:, blob: or about: (all aborted). */
  externalRequests: string[];
}

export interface InspectOptions {
  /** Write a full-page PNG screenshot here after the plots are drawn. */
  screenshotPath?: string;
  /** How long to wait for the plots to draw after the page loaded (ms, default 30 000). */
  timeoutMs?: number;
}

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep Chromium off the network for its own purposes (updates, sync, QUIC probes). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

const LOCAL_SCHEMES = new Set(['file:', 'data:', 'blob:', 'about:']);

/** Every element that is (or will become) a plotly graph: our figure divs and plotly's own class. */
const PLOT_SELECTOR = '.nasbook-figure, .js-plotly-plot, .plotly-graph-div';

function isLocal(url: string): boolean {
  try {
    return LOCAL_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * In-page code that counts plot containers and the drawn ones. It is a string, not a function,
 * so that no transpiler (vitest's esbuild adds helpers such as `__name`) can change what runs in
 * the page.
 */
const COUNT_PLOTS_JS = `(() => {
  const all = Array.from(document.querySelectorAll(${JSON.stringify(PLOT_SELECTOR)}));
  // A plotly div nested in another counted container (not expected, but possible) counts once.
  const containers = all.filter((el) => !all.some((other) => other !== el && other.contains(el)));
  const drawn = containers.filter((el) => {
    const svg = el.querySelector('svg.main-svg');
    // Scatter and bar traces are <g class="trace">; a heatmap is an <image> in its layer.
    const traces = el.querySelectorAll('g.trace, .heatmaplayer image, .heatmaplayer g.hm');
    return svg !== null && traces.length > 0;
  }).length;
  return { plots: containers.length, drawn };
})()`;

async function countPlots(page: Page): Promise<{ plots: number; drawn: number }> {
  return (await page.evaluate(COUNT_PLOTS_JS)) as { plots: number; drawn: number };
}

/** Polls until every plot is drawn or `timeout` ms have passed, and returns the last count. */
export async function waitForPlots(page: Page, timeout: number): Promise<{ plots: number; drawn: number }> {
  const deadline = Date.now() + timeout;
  let counts = await countPlots(page);
  while (counts.drawn < counts.plots && Date.now() < deadline) {
    await page.waitForTimeout(250);
    counts = await countPlots(page);
  }
  return counts;
}

/**
 * Loads an HTML file in a fresh headless Chromium context with the network cut off, waits for its
 * plots, and reports plots, drawn plots, errors and attempted external requests.
 * @param htmlFile path of the page (e.g. the output of `jupyter nbconvert --to html`)
 * @param options optional screenshot path and timeout
 * @returns the page report
 * @throws Error if the file does not exist or Chromium cannot start
 * @example const r = await inspectPage('/tmp/01-out.html'); // { plots: 3, drawn: 3, errors: [], externalRequests: [] }
 */
export async function inspectPage(htmlFile: string, options: InspectOptions = {}): Promise<PageReport> {
  const file = path.resolve(htmlFile);
  if (!fs.existsSync(file)) throw new Error(`inspectPage: 'htmlFile' does not exist: ${file}`);
  const timeout = options.timeoutMs ?? 30_000;
  // A page with the inlined plotly.js is ~10 MB: give loading its own, generous limit.
  const loadTimeout = Math.max(timeout, 120_000);
  const errors: string[] = [];
  const external = new Set<string>();

  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: loadTimeout });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Route every request: anything not local is recorded and aborted, so the page behaves as it
    // would offline and the report lists what it tried to fetch.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      external.add(url);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    page.on('request', (req) => {
      if (!isLocal(req.url())) external.add(req.url());
    });
    page.on('websocket', (ws) => external.add(ws.url()));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const where = msg.location().url;
      errors.push(`console: ${msg.text()}${where ? ` (${where})` : ''}`);
    });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));

    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: loadTimeout });
    await page.waitForLoadState('networkidle', { timeout: loadTimeout }).catch(() => undefined);
    // Plots draw asynchronously (a figure may wait for the bundle): wait until all are drawn or
    // the timeout passes, then report whatever is there.
    const counts = await waitForPlots(page, timeout);
    if (options.screenshotPath) await page.screenshot({ path: options.screenshotPath, fullPage: true });
    await context.close();
    return { ...counts, errors, externalRequests: [...external] };
  } finally {
    await browser?.close();
  }
}

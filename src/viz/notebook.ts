/**
 * Notebook display: the only module that knows about tslab. In a tslab kernel, figures, tables and
 * markdown become rich outputs; anywhere else (a script, a test, the CLI) they are printed as text,
 * and nothing here touches tslab at import time.
 *
 * How plots work offline. The first `show` of a kernel session puts the whole plotly.js bundle
 * (the minified build from the npm package `plotly.js-dist-min`) into its output; every figure
 * output is a div plus a small script that draws into it with `window.Plotly`. Because the bundle is
 * an ordinary output:
 * - live Jupyter (classic Notebook, JupyterLab, VS Code) runs the bundle script when the output
 *   arrives, so `window.Plotly` exists for this and every later figure of the page;
 * - a saved notebook, reopened, and `jupyter nbconvert --to html` carry the bundle in that output,
 *   so every figure draws with no network at all.
 * Re-running a cell replaces its outputs, so when the cell that carries the bundle runs again (the
 * same cell id where the front end sends one, else the same code; nasbook's kernel records which
 * cell runs), its first figure carries the bundle again: whatever is re-run, the saved notebook
 * keeps one copy. A figure script that runs before the bundle (cells run out of order, outputs
 * rendered asynchronously) waits for the bundle's 'nasbook:plotly-ready' event, polling as a fallback.
 * The div holds text until the figure is drawn, and the text says what is actually going on:
 * scripts not run (an untrusted notebook), waiting for plotly.js, or plotly.js missing from the page.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomUUID } from 'crypto';
import { checkFigure, figureSummary, type Figure } from './figures';
import { escapeHtml, tableHtml, tableText, type DataFrameLike, type TableOptions } from './table';
import { describe } from '../core/checks';
import { currentCell, sameCell, type CellRun } from '../jupyter/cell';

/** The two rich outputs we use from tslab's `display`. */
export interface RichDisplay {
  html(s: string): void;
  markdown(s: string): void;
}

/** tslab's `newDisplay`: an output that later calls replace in place (Jupyter's display ids). */
export type NewDisplay = () => RichDisplay;

/** An output shown now and replaced as things progress (in a notebook), or printed piece by piece (elsewhere). */
export interface LiveOutput {
  /** Replace the output by `html` (in a notebook), or print `text` when given (elsewhere). */
  update(html: string, text?: string): void;
}

/** The display functions, bound to one output channel (a kernel, or a plain-text printer). */
export interface NotebookOutput {
  showLive(html: string, text?: string): LiveOutput;
  show(fig: Figure): void;
  showTable(rows: Record<string, unknown>[] | DataFrameLike, opts?: TableOptions): void;
  showMarkdown(text: string): void;
  showHtml(html: string, text?: string): void;
}

/** Event the bundle output fires once `window.Plotly` exists. */
const READY_EVENT = 'nasbook:plotly-ready';
/** How long a figure waits for plotly.js before saying it is missing (ms). */
const WAIT_MS = 30_000;
const PLOTLY_CONFIG = { responsive: true, displaylogo: false };

/**
 * Where the minified plotly.js bundle lies on disk (package `plotly.js-dist-min`: the same build as
 * `plotly.js-dist`, minified, so a notebook page carries about 4.7 MB instead of 10.7 MB).
 * @returns the absolute path of the bundle
 * @throws Error if the package is not installed
 * @example plotlyBundlePath() // '/.../node_modules/plotly.js-dist-min/plotly.min.js'
 */
export function plotlyBundlePath(): string {
  try {
    return require.resolve('plotly.js-dist-min/plotly.min.js');
  } catch {
    throw new Error("plotlyBundlePath: the plotly.js bundle is missing; run 'npm install' (package plotly.js-dist-min)");
  }
}

/**
 * JSON for a `<script>` element: `<`, `>`, `&` and the JS line separators become \u escapes, so
 * no string in the figure (a title, hover text) can close the script or break the parser.
 */
function scriptJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`show: 'fig' is not JSON-serialisable, got ${describe(value)}`);
  return json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The output that carries plotly.js: a script defining `window.Plotly` (unless the page already
 * has it, e.g. after a kernel restart) and then announcing it with an event.
 * @param bundle the text of the plotly.js bundle
 * @returns HTML with two inline scripts and nothing visible
 * @example bundleHtml(fs.readFileSync(plotlyBundlePath(), 'utf8'))
 */
export function bundleHtml(bundle: string): string {
  // The HTML parser ends a script at the first '</script' and changes state at '<!--'; plotly.js
  // has neither today, but escape them should a future bundle do so (they can only occur in
  // strings, regexps or comments, where '\/' and '\!' read the same).
  const safe = bundle.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
  // `define`, `module` and `exports` are shadowed so that a UMD wrapper takes its browser branch
  // even in a page that has require.js (classic Notebook) or a CommonJS shim.
  return [
    // MathJaxConfig 'local' stops plotly from reconfiguring the page's MathJax (markdown cells).
    `<script type="text/javascript">window.PlotlyConfig = window.PlotlyConfig || { MathJaxConfig: 'local' };</script>`,
    `<script type="text/javascript">/* plotly.js, inlined once per kernel session by nasbook */`,
    `if (!window.Plotly) { (function (define, module, exports) {`,
    safe,
    `\n}).call(window); }`,
    `window.dispatchEvent(new Event('${READY_EVENT}'));`,
    `</script>`,
  ].join('\n');
}

/**
 * The output of one figure: a div with a text placeholder, and a script that draws the figure
 * into it as soon as `window.Plotly` exists.
 * @param fig the figure spec
 * @param id the div's id, unique in the page (outputs of earlier kernel sessions stay in it)
 * @returns HTML for one figure
 * @throws TypeError if `fig` is not a JSON-serialisable figure spec
 * @example figureHtml(lineFigure([{ name: 'a', x: [1, 2], y: [3, 4] }]), 'nasbook-fig-1')
 */
export function figureHtml(fig: Figure, id: string): string {
  checkFigure(fig, 'figureHtml');
  const height = (fig.layout as { height?: unknown }).height;
  const minHeight = typeof height === 'number' ? `min-height:${height}px;` : '';
  const label = escapeHtml(figureSummary(fig));
  // Seen only when the script below never runs: Jupyter runs the scripts of a notebook only once
  // it is trusted (a notebook you executed yourself is; one opened from elsewhere is not).
  const placeholder =
    `${label} This figure is drawn by a script, which has not run. Jupyter runs a notebook's scripts only ` +
    `when it trusts the notebook: trust it (classic Notebook: File › Trust Notebook; JupyterLab: command ` +
    `palette › Trust Notebook) or run the cell.`;
  const waiting = `${figureSummary(fig)} Waiting for plotly.js, which the first figure of the notebook carries…`;
  const missing =
    'plotly.js is not in this page, so the figure cannot be drawn. The output that carried it (the first ' +
    'figure of the kernel session) has been cleared or replaced by an edited cell. Restart the kernel and run ' +
    'the cells again: the first figure then carries plotly.js again.';
  const script = `(function () {
  var id = ${scriptJson(id)};
  var fig = ${scriptJson({ data: fig.data, layout: fig.layout })};
  var config = ${scriptJson(PLOTLY_CONFIG)};
  var done = false;
  function draw() {
    var el = document.getElementById(id);
    if (done || !el || !window.Plotly) return !!done;
    done = true;
    el.innerHTML = '';
    window.Plotly.newPlot(el, fig.data, fig.layout, config);
    return true;
  }
  if (draw()) return;
  var box = document.getElementById(id);
  if (box) box.textContent = ${scriptJson(waiting)};
  window.addEventListener(${scriptJson(READY_EVENT)}, draw);
  var waited = 0;
  var timer = setInterval(function () {
    waited += 100;
    if (draw()) { clearInterval(timer); return; }
    if (waited >= ${WAIT_MS}) {
      clearInterval(timer);
      var el = document.getElementById(id);
      if (el) el.textContent = ${scriptJson(missing)};
    }
  }, 100);
})();`;
  return [
    `<div id="${escapeHtml(id)}" class="nasbook-figure" style="width:100%;${minHeight}">`,
    `<div class="nasbook-figure-placeholder" style="padding:8px;color:#555;font-family:sans-serif;font-size:13px;">${placeholder}</div>`,
    `</div>`,
    `<script type="text/javascript">${script}</script>`,
  ].join('\n');
}

/**
 * Display functions bound to `display` (rich outputs) or, when it is null, to `print` (text).
 * Each such object sends the plotly.js bundle with its first figure, and again with the first figure
 * of any later run of the cell that carried it (which replaces that cell's outputs); one object per
 * kernel session.
 * @param display tslab's display, or null outside a kernel
 * @param print where text goes (console.log by default)
 * @param readBundle returns the plotly.js text (read lazily: only the first figure needs it)
 * @param cell the cell being executed (nasbook's kernel records it), or null when unknown
 * @param newDisplay tslab's `newDisplay`, for outputs updated in place (else each update is a new output)
 * @returns show, showTable, showMarkdown, showHtml, showLive
 * @example createNotebookOutput(null).show(fig) // prints '[figure: ... — 2 traces]'
 */
export function createNotebookOutput(
  display: RichDisplay | null,
  print: (line: string) => void = (line) => console.log(line),
  readBundle: () => string = () => fs.readFileSync(plotlyBundlePath(), 'utf8'),
  cell: () => CellRun | null = currentCell,
  newDisplay: NewDisplay | null = null,
): NotebookOutput {
  /** The cell run whose output carries the bundle (its run number tells one run from the next). */
  let carrier: CellRun | null = null;
  let bundleSent = false;
  const needsBundle = (now: CellRun | null): boolean =>
    !bundleSent || (now !== null && carrier !== null && now.run !== carrier.run && sameCell(now, carrier));
  return {
    show(fig: Figure): void {
      checkFigure(fig, 'show');
      if (!display) {
        print(figureSummary(fig));
        return;
      }
      const figure = figureHtml(fig, `nasbook-fig-${randomUUID()}`);
      const now = cell();
      if (!needsBundle(now)) {
        display.html(figure);
        return;
      }
      // The bundle and the figure share one output, so the bundle sits in the cell that first
      // needed it (and in the exported HTML before every figure that uses it).
      display.html(`${bundleHtml(readBundle())}\n${figure}`);
      bundleSent = true;
      carrier = now ? { ...now } : null;
    },
    showLive(html: string, text?: string): LiveOutput {
      if (typeof html !== 'string') throw new TypeError(`showLive: 'html' must be a string, got ${describe(html)}`);
      if (!display) {
        if (text !== undefined) print(text);
        return { update: (_html, more) => (more !== undefined ? print(more) : undefined) };
      }
      const target = newDisplay ? newDisplay() : display;
      target.html(html);
      return { update: (next) => target.html(next) };
    },
    showTable(rows: Record<string, unknown>[] | DataFrameLike, opts?: TableOptions): void {
      if (display) display.html(tableHtml(rows, opts, 'showTable'));
      else print(tableText(rows, opts, 'showTable'));
    },
    showMarkdown(text: string): void {
      if (typeof text !== 'string') throw new TypeError(`showMarkdown: 'text' must be a string, got ${describe(text)}`);
      if (display) display.markdown(text);
      else print(text);
    },
    showHtml(html: string, text?: string): void {
      if (typeof html !== 'string') throw new TypeError(`showHtml: 'html' must be a string, got ${describe(html)}`);
      if (display) display.html(html);
      else print(text ?? html);
    },
  };
}

/**
 * tslab's `display` and `newDisplay` when this process is a tslab kernel, else null. The kernel may have loaded
 * more than one copy of tslab (the registered one, and the one of the checkout the notebook lives
 * in), and only the copy serving Jupyter can display: it is the one whose `jupyter` module holds
 * the current cell's output writer. Found among the modules loaded so far, never by loading one.
 */
function detectKernel(): { display: RichDisplay; newDisplay: NewDisplay | null } | null {
  const suffix = `${path.sep}tslab${path.sep}dist${path.sep}jupyter.js`;
  for (const file of Object.keys(require.cache)) {
    if (!file.endsWith(suffix)) continue;
    const jupyter = require.cache[file]?.exports as { lastWriteDisplayData?: unknown } | undefined;
    if (!jupyter || jupyter.lastWriteDisplayData == null) continue;
    try {
      const tslab = require(path.join(path.dirname(file), 'public.js')) as { display?: RichDisplay; newDisplay?: NewDisplay };
      if (tslab.display && typeof tslab.display.html === 'function') {
        return { display: tslab.display, newDisplay: typeof tslab.newDisplay === 'function' ? tslab.newDisplay : null };
      }
    } catch {
      // not a tslab we know: keep looking
    }
  }
  return null;
}

let sessionOutput: NotebookOutput | undefined;

/** The output of this process, detected on first use (never at import time). */
function output(): NotebookOutput {
  if (!sessionOutput) {
    const kernel = detectKernel();
    sessionOutput = createNotebookOutput(kernel?.display ?? null, undefined, undefined, undefined, kernel?.newDisplay ?? null);
  }
  return sessionOutput;
}

/**
 * Draws a figure in the notebook (offline plotly); outside a kernel prints a one-line summary.
 * @param fig a figure from lineFigure/scatterFigure/barFigure/heatmapFigure, or any plotly spec
 * @throws TypeError if `fig` is not `{ data: object[], layout: object }` or not JSON-serialisable
 * @example show(lineFigure([{ name: 'acc', x: [1, 2, 3], y: [0.6, 0.7, 0.75] }], { title: 'Accuracy' }))
 */
export function show(fig: Figure): void {
  output().show(fig);
}

/**
 * Shows rows (plain objects) or a danfojs DataFrame as an HTML table; aligned text outside a kernel.
 * @param rows an array of objects (columns = keys in order of first appearance) or a DataFrame
 * @param opts `caption` above the table, `digits` decimals for non-integers (0..15, default 4)
 * @throws TypeError/RangeError naming the argument for bad rows or options
 * @example showTable([{ op: 'conv3x3', params: 1728, acc: 0.9123 }], { caption: 'Ops', digits: 2 })
 */
export function showTable(rows: Record<string, unknown>[] | DataFrameLike, opts?: TableOptions): void {
  output().showTable(rows, opts);
}

/**
 * Renders markdown (with $LaTeX$) computed in code, e.g. a sentence that quotes a result.
 * @param text markdown text
 * @throws TypeError if `text` is not a string
 * @example showMarkdown(`The best cell reaches **${(0.9312 * 100).toFixed(1)}%**.`)
 */
export function showMarkdown(text: string): void {
  output().showMarkdown(text);
}

/** Marks a printed line as a measurement of this machine's speed (see {@link showTiming}). */
export const TIMING_MARK = '⏱';

/**
 * Prints a timing (a wall-clock measurement) on a line of its own, marked with ⏱. A timing
 * changes from run to run and machine to machine, unlike every other result of a notebook: the
 * mark tells readers not to build on it, and lets the notebook test ignore it when it checks that
 * two runs print the same results.
 * @param text the measurement, e.g. `one BO step: median 88 ms`
 * @throws TypeError if `text` is not a string
 * @example showTiming(`one BO step: median ${ms.toFixed(0)} ms`) // prints "⏱ one BO step: median 88 ms"
 */
export function showTiming(text: string): void {
  if (typeof text !== 'string') throw new TypeError(`showTiming: 'text' must be a string, got ${typeof text}`);
  console.log(`${TIMING_MARK} ${text}`);
}

/**
 * Shows HTML that later calls replace in place (progress: a table filling in row by row); outside a
 * kernel prints `text`, and each update's text.
 * @param html the first HTML
 * @param text what to print now outside a kernel
 * @returns an output whose `update(html, text?)` replaces the HTML (or prints `text`)
 * @throws TypeError if `html` is not a string
 * @example const live = showLive('<p>0 of 3 done</p>', 'started'); live.update('<p>1 of 3 done</p>', 'case 1 done');
 */
export function showLive(html: string, text?: string): LiveOutput {
  return output().showLive(html, text);
}

/**
 * Shows raw HTML (trusted: it is not escaped); outside a kernel prints `text`, or the HTML itself.
 * @param html HTML text
 * @param text what to print instead outside a kernel (a terminal rendering of the same content)
 * @throws TypeError if `html` is not a string
 * @example showHtml('<b>done</b>', 'done')
 */
export function showHtml(html: string, text?: string): void {
  output().showHtml(html, text);
}

import * as fs from 'node:fs';
import * as vm from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lineFigure, type Figure } from '../../src/viz/figures';
import {
  bundleHtml,
  createNotebookOutput,
  figureHtml,
  plotlyBundlePath,
  show,
  showHtml,
  showMarkdown,
  showTable,
  showTiming,
  TIMING_MARK,
  type RichDisplay,
} from '../../src/viz/notebook';
import type { CellRun } from '../../src/jupyter/cell';

/** The bodies of the inline <script> elements of an HTML fragment. */
function scripts(html: string): string[] {
  return [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
}

/**
 * A minimal page to run our scripts in: `document.getElementById`, window events, timers that run
 * when told, and a Plotly stub that records its calls.
 */
function fakePage(ids: string[]) {
  const elements = new Map(ids.map((id) => [id, { id, innerHTML: 'placeholder', textContent: '' }]));
  const listeners = new Map<string, (() => void)[]>();
  const timers: (() => void)[] = [];
  const calls: unknown[][] = [];
  const window: Record<string, unknown> = {
    addEventListener: (name: string, f: () => void) => listeners.set(name, [...(listeners.get(name) ?? []), f]),
    dispatchEvent: (e: { type: string }) => (listeners.get(e.type) ?? []).forEach((f) => f()),
  };
  const context = vm.createContext({
    window,
    document: { getElementById: (id: string) => elements.get(id) ?? null },
    Event: class {
      constructor(public type: string) {}
    },
    setInterval: (f: () => void) => timers.push(f),
    clearInterval: () => timers.splice(0),
    define: Object.assign(() => {
      throw new Error('AMD define must not be used');
    }, { amd: true }),
  });
  const plotlyStub = { newPlot: (...args: unknown[]) => calls.push(args) };
  return {
    window,
    elements,
    calls,
    plotlyStub,
    run: (code: string) => vm.runInContext(code, context),
    tick: (n: number) => {
      for (let i = 0; i < n && timers.length > 0; i++) timers.slice().forEach((f) => f());
    },
  };
}

const fig: Figure = lineFigure([{ name: 'a', x: [1, 2], y: [3, 4] }], { title: 'T' });

describe('figureHtml', () => {
  it('draws into its div with the figure and {responsive, displaylogo: false} when Plotly is there', () => {
    const page = fakePage(['f1']);
    page.window.Plotly = page.plotlyStub;
    scripts(figureHtml(fig, 'f1')).forEach(page.run);
    expect(page.calls).toHaveLength(1);
    const [el, data, layout, config] = page.calls[0];
    expect(el).toBe(page.elements.get('f1'));
    expect(JSON.parse(JSON.stringify(data))).toEqual(fig.data);
    expect(JSON.parse(JSON.stringify(layout))).toEqual(fig.layout);
    expect(JSON.parse(JSON.stringify(config))).toEqual({ responsive: true, displaylogo: false });
    expect(page.elements.get('f1')?.innerHTML).toBe('');
  });

  it('waits for the bundle when it runs first, then draws once', () => {
    const page = fakePage(['f1']);
    scripts(figureHtml(fig, 'f1')).forEach(page.run);
    page.tick(3);
    expect(page.calls).toHaveLength(0);
    // The bundle output arrives later (out-of-order cells, asynchronous rendering).
    scripts(bundleHtml(`window.Plotly = window.__stub;`)).forEach((code) => {
      page.window.__stub = page.plotlyStub;
      page.run(code);
    });
    page.tick(5);
    expect(page.calls).toHaveLength(1);
  });

  it('says it waits for plotly.js while it waits, and that plotly.js is missing after 30 s without it', () => {
    const page = fakePage(['f1']);
    scripts(figureHtml(fig, 'f1')).forEach(page.run);
    expect(page.elements.get('f1')?.textContent).toBe('[figure: T — 1 trace] Waiting for plotly.js, which the first figure of the notebook carries…');
    page.tick(299);
    expect(page.elements.get('f1')?.textContent).toContain('Waiting for plotly.js');
    page.tick(1);
    expect(page.elements.get('f1')?.textContent).toMatch(/^plotly\.js is not in this page.*has been cleared or replaced.*Restart the kernel/);
  });

  it('cannot be broken out of by text in the figure', () => {
    const evil = lineFigure([{ name: '</script><script>alert(1)</script>', x: ['<!--'], y: [1] }], { title: '</SCRIPT>&' });
    const html = figureHtml(evil, 'f"1');
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html.match(/<\/script/gi)).toHaveLength(1);
    expect(html).toContain('id="f&quot;1"');
    const page = fakePage(['f"1']);
    page.window.Plotly = page.plotlyStub;
    scripts(html).forEach(page.run);
    expect(JSON.parse(JSON.stringify(page.calls[0][1]))).toEqual(evil.data);
  });

  it('says, where scripts do not run, that they have not run and how to trust the notebook', () => {
    const html = figureHtml(fig, 'f1');
    expect(html).toContain('[figure: T — 1 trace] This figure is drawn by a script, which has not run.');
    expect(html).toContain('Trust Notebook');
    expect(html).toContain('min-height:420px');
  });
});

describe('bundleHtml', () => {
  it('defines window.Plotly through the browser branch even where AMD define exists, and announces it', () => {
    const page = fakePage([]);
    let ready = 0;
    (page.window.addEventListener as (n: string, f: () => void) => void)('nasbook:plotly-ready', () => ready++);
    // A UMD-style bundle: uses define/module when present, else the global.
    const umd = `(function (root, f) { if (typeof module === 'object' && module.exports) module.exports = f();
      else if (typeof define === 'function' && define.amd) define([], f); else root.Plotly = f(); })(window, function () { return { v: 1 }; });`;
    scripts(bundleHtml(umd)).forEach(page.run);
    expect(page.window.Plotly).toEqual({ v: 1 });
    expect(page.window.PlotlyConfig).toEqual({ MathJaxConfig: 'local' });
    expect(ready).toBe(1);
  });

  it('escapes an HTML script end tag inside the bundle', () => {
    const html = bundleHtml(`var s = "</script>"; window.Plotly = { s: s };`);
    expect(html).toContain('var s = "<\\/script>"');
    const page = fakePage([]);
    scripts(html).forEach(page.run);
    expect(page.window.Plotly).toEqual({ s: '</script>' });
  });

  it('finds the installed plotly.js bundle', () => {
    const file = plotlyBundlePath();
    expect(file).toMatch(/plotly(\.min)?\.js$/);
    expect(fs.readFileSync(file, 'utf8').slice(0, 300)).toContain('plotly.js v');
  });
});

describe('createNotebookOutput in a kernel', () => {
  function recorder() {
    const out: [kind: string, text: string][] = [];
    const display: RichDisplay = { html: (s) => out.push(['html', s]), markdown: (s) => out.push(['markdown', s]) };
    return { out, display };
  }

  it('inlines the bundle with the first figure only', () => {
    const { out, display } = recorder();
    const readBundle = vi.fn(() => 'window.Plotly = {};/*BUNDLE*/');
    const nb = createNotebookOutput(display, () => undefined, readBundle, () => null);
    nb.show(fig);
    nb.show(fig);
    nb.show(fig);
    expect(readBundle).toHaveBeenCalledTimes(1);
    expect(out.map(([, s]) => s.split('/*BUNDLE*/').length - 1)).toEqual([1, 0, 0]);
    const ids = out.map(([, s]) => /<div id="([^"]+)"/.exec(s)?.[1]);
    expect(new Set(ids).size).toBe(3);
    expect(ids.every((id) => id?.startsWith('nasbook-fig-'))).toBe(true);
  });

  it('sends the bundle again with the first figure of a new run of the cell that carried it', () => {
    const { out, display } = recorder();
    let now: CellRun | null = { code: 'show(a)', run: 1 };
    const nb = createNotebookOutput(display, () => undefined, () => '/*BUNDLE*/', () => now);
    const bundles = () => out.map(([, s]) => s.split('/*BUNDLE*/').length - 1);
    nb.show(fig); // cell A, run 1: carries the bundle
    nb.show(fig);
    now = { code: 'show(b)', run: 2 }; // another cell
    nb.show(fig);
    now = { code: 'show(a)', run: 3 }; // cell A again: its outputs are replaced, so it carries the bundle again
    nb.show(fig);
    nb.show(fig);
    now = { code: 'show(b)', run: 4 };
    nb.show(fig);
    expect(bundles()).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('tells cells apart by the front end\'s cell id where there is one (an edited cell is still the same cell)', () => {
    const { out, display } = recorder();
    let now: CellRun = { code: 'show(a)', cellId: 'c1', run: 1 };
    const nb = createNotebookOutput(display, () => undefined, () => '/*BUNDLE*/', () => now);
    nb.show(fig);
    now = { code: 'show(a)', cellId: 'c2', run: 2 }; // same code, another cell
    nb.show(fig);
    now = { code: 'show(a2)', cellId: 'c1', run: 3 }; // the first cell, edited and re-run
    nb.show(fig);
    expect(out.map(([, s]) => s.split('/*BUNDLE*/').length - 1)).toEqual([1, 0, 1]);
  });

  it('sends tables as HTML, markdown as markdown, HTML as it is', () => {
    const { out, display } = recorder();
    const nb = createNotebookOutput(display, () => undefined, () => '');
    nb.showTable([{ a: '<x>' }], { caption: 'c' });
    nb.showMarkdown('**b**');
    nb.showHtml('<i>i</i>');
    expect(out[0][0]).toBe('html');
    expect(out[0][1]).toContain('<td style="padding:4px 10px;border-bottom:1px solid #E5ECF6;text-align:left;">&lt;x&gt;</td>');
    expect(out.slice(1)).toEqual([['markdown', '**b**'], ['html', '<i>i</i>']]);
  });
});

describe('outside a kernel', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints a one-line summary for a figure, aligned text for a table, and never throws', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    show(lineFigure([{ name: 'a', x: [1], y: [1], lower: [0], upper: [2] }], { title: 'Accuracy' }));
    showTable([{ op: 'conv', acc: 0.5 }], { digits: 1 });
    showMarkdown('**bold**');
    showHtml('<b>x</b>');
    expect(log.mock.calls.map((c) => c[0])).toEqual([
      '[figure: Accuracy — 3 traces]',
      'op    acc\n----  ---\nconv  0.5',
      '**bold**',
      '<b>x</b>',
    ]);
  });

  it('validates its arguments', () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(() => show({ data: 'x' } as unknown as Figure)).toThrow("show: 'fig' must be a figure");
    expect(() => showTable(42 as unknown as [])).toThrow("showTable: 'rows' must be an array of objects or a DataFrame");
    expect(() => showMarkdown(1 as unknown as string)).toThrow("showMarkdown: 'text' must be a string, got 1");
    expect(() => showHtml(undefined as unknown as string)).toThrow("showHtml: 'html' must be a string, got undefined");
  });

  it('prints without a display through createNotebookOutput(null)', () => {
    const lines: string[] = [];
    const nb = createNotebookOutput(null, (l) => lines.push(l), () => {
      throw new Error('the bundle is not needed outside a kernel');
    });
    nb.show(fig);
    expect(lines).toEqual(['[figure: T — 1 trace]']);
  });
});

describe('showTiming', () => {
  it('prints the measurement on its own line behind the timing mark, and rejects a non-string', () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => lines.push(args.join(' '));
    try {
      showTiming('one BO step: median 88 ms');
    } finally {
      console.log = log;
    }
    expect(lines).toEqual([`${TIMING_MARK} one BO step: median 88 ms`]);
    expect(() => showTiming(88 as never)).toThrow("showTiming: 'text' must be a string, got number");
  });
});

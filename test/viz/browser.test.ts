/**
 * Every figure builder's output drawn by plotly in headless Chromium, as a notebook reader's
 * browser would: a figure that plotly accepts but draws wrongly (a heatmap whose image gets NaN
 * width) shows up as a console error or a NaN in the SVG, which the unit tests of the specs cannot see.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../notebooks/browser';
import { bandsFigure, barFigure, heatmapFigure, histogramFigure, lineFigure, scatterFigure, type Figure } from '../../src/viz/figures';

const PLOTLY = require.resolve('plotly.js-dist-min');
const band = { evaluations: [1, 2, 3], mean: [1, 2, 2.5], lower: [0.5, 1.5, 2], upper: [1.5, 2.5, 3], level: 0.95 };

const FIGURES: Record<string, Figure> = {
  line: lineFigure([{ name: 'a', x: [1, 2, 3], y: [1, 4, 9], lower: [0, 3, 8], upper: [2, 5, 10] }], { title: 'L', xTitle: 'x', yTitle: 'y' }),
  scatter: scatterFigure([{ name: 'a', x: [1, 2, 3], y: [3, 1, 2], text: ['p', 'q', 'r'] }], { logY: true }),
  bar: barFigure([{ name: 'a', x: ['u', 'v'], y: [1, 2] }, { name: 'b', x: ['u', 'v'], y: [2, 1] }], { barmode: 'stack' }),
  histogram: histogramFigure([{ name: 'a', values: [1, 2, 7, 12] }], { binWidth: 5, min: 0, max: 15 }),
  bands: bandsFigure([{ name: 'x', band }]),
  'heatmap with labels': heatmapFigure([[1, 2, 3], [4, 5, 6]], { x: ['a', 'b', 'c'], y: ['r', 's'], showValues: true }),
  'heatmap without labels': heatmapFigure([[1, 2, 3], [4, 5, 6]]),
  'heatmap of one cell, diverging': heatmapFigure([[-0.5]], { colorscale: 'RdBu' }),
};

/** Draws a figure and returns the console errors it caused and the SVG attributes that hold NaN. */
const DRAW_JS = `async ([data, layout]) => {
  const div = document.createElement('div');
  document.body.replaceChildren(div);
  await Plotly.newPlot(div, data, layout);
  const bad = [];
  for (const el of div.querySelectorAll('svg *')) {
    for (const a of el.attributes) if (/NaN/.test(a.value)) bad.push(el.tagName + '.' + a.name + '=' + a.value);
  }
  return { bad, traces: div.querySelectorAll('g.trace, .heatmaplayer image').length };
}`;

const ready = fs.existsSync(CHROMIUM_PATH);

describe.skipIf(!ready)('figures drawn in Chromium', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent('<html><body></body></html>');
    await page.addScriptTag({ content: fs.readFileSync(PLOTLY, 'utf8') });
  }, 60_000);
  afterAll(async () => browser?.close());

  for (const [name, fig] of Object.entries(FIGURES)) {
    it(`draws the ${name} figure without errors or NaN geometry`, async () => {
      errors.length = 0;
      const drawn = (await page.evaluate(`(${DRAW_JS})(${JSON.stringify([fig.data, fig.layout])})`)) as { bad: string[]; traces: number };
      expect(errors).toEqual([]);
      expect(drawn.bad).toEqual([]);
      expect(drawn.traces).toBeGreaterThan(0);
    });
  }
});

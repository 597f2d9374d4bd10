import { describe, expect, it } from 'vitest';
import {
  barFigure,
  checkFigure,
  FIGURE_PALETTE,
  figureSummary,
  heatmapFigure,
  lineFigure,
  scatterFigure,
  type Figure,
  type Series,
} from '../../src/viz/figures';

// Traces and layouts are plain JSON objects; the tests index into them freely.
type Obj = Record<string, any>;
const traces = (fig: Figure) => fig.data as Obj[];
const layout = (fig: Figure) => fig.layout as Obj;

describe('lineFigure', () => {
  it('draws one line per series in palette order, legend only for several series', () => {
    const fig = lineFigure(
      [
        { name: 'a', x: [1, 2, 3], y: [1, 4, 9] },
        { name: 'b', x: [1, 2, 3], y: [2, 3, 4], mode: 'lines+markers' },
      ],
      { title: 'T', xTitle: 'epoch', yTitle: 'acc' },
    );
    const [a, b] = traces(fig);
    expect(traces(fig)).toHaveLength(2);
    expect(a).toMatchObject({ type: 'scatter', name: 'a', mode: 'lines', x: [1, 2, 3], y: [1, 4, 9], line: { color: FIGURE_PALETTE[0] } });
    expect(a.marker).toBeUndefined();
    expect(b).toMatchObject({ mode: 'lines+markers', line: { color: FIGURE_PALETTE[1] }, marker: { color: FIGURE_PALETTE[1] } });
    expect(layout(fig)).toMatchObject({
      title: { text: 'T' },
      xaxis: { title: { text: 'epoch' } },
      yaxis: { title: { text: 'acc' } },
      showlegend: true,
      paper_bgcolor: '#FFFFFF',
      plot_bgcolor: '#FFFFFF',
      height: 420,
      autosize: true,
    });
    expect(layout(fig).colorway).toEqual([...FIGURE_PALETTE]);
    expect(layout(lineFigure([{ name: 'a', x: [1], y: [1] }])).showlegend).toBe(false);
  });

  it('builds a band as an upper edge, then a lower edge filled to it, then the line, in the series colour', () => {
    const fig = lineFigure([
      { name: 'plain', x: [0, 1], y: [0, 0] },
      { name: 'm', x: [0, 1, 2], y: [0.5, 0.6, 0.7], lower: [0.4, 0.5, 0.65], upper: [0.6, 0.7, 0.75] },
    ]);
    const t = traces(fig);
    expect(t.map((d) => d.name)).toEqual(['plain', 'm (upper)', 'm (lower)', 'm']);
    const [, upper, lower, line] = t;
    expect(upper).toMatchObject({ y: [0.6, 0.7, 0.75], x: [0, 1, 2], showlegend: false, hoverinfo: 'skip', legendgroup: 'm', line: { width: 0 } });
    expect(upper.fill).toBeUndefined();
    expect(lower).toMatchObject({ y: [0.4, 0.5, 0.65], fill: 'tonexty', showlegend: false, legendgroup: 'm' });
    // FIGURE_PALETTE[1] is #DD8452 = rgb(221, 132, 82); the band is that colour at alpha 0.2.
    expect(lower.fillcolor).toBe('rgba(221, 132, 82, 0.2)');
    expect(line).toMatchObject({ legendgroup: 'm', line: { color: '#DD8452' } });
    expect(line.showlegend).toBeUndefined();
  });

  it('copies its inputs and stays JSON-serialisable', () => {
    const x = [1, 2];
    const fig = lineFigure([{ name: 'a', x, y: [3, 4], lower: [2, 3], upper: [4, 5] }], { logX: true, logY: true, width: 600 });
    x[0] = 99;
    expect(traces(fig)[2].x).toEqual([1, 2]);
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig);
    expect(layout(fig)).toMatchObject({ xaxis: { type: 'log' }, yaxis: { type: 'log' }, width: 600, autosize: false });
  });

  it('names the argument when inputs are wrong', () => {
    const ok: Series = { name: 'a', x: [1, 2], y: [1, 2] };
    const bad = (s: unknown) => () => lineFigure([ok, s as Series]);
    expect(() => lineFigure([])).toThrow("lineFigure: 'series' must have at least 1 item");
    expect(bad({ name: 'b', x: [1, 2, 3], y: [1, 2] })).toThrow("lineFigure: 'series[1].x' and 'series[1].y' must have the same length, got 3 and 2");
    expect(bad({ name: 'b', x: [1, 2], y: [1, NaN] })).toThrow("'series[1].y' must hold only finite numbers, got NaN at index 1");
    expect(bad({ name: 'b', x: [1, Infinity], y: [1, 2] })).toThrow("'series[1].x' must hold only strings or finite numbers, got Infinity at index 1");
    expect(bad({ name: 'b', x: [1, 2], y: [1, 2], lower: [0] , upper: [2, 3] })).toThrow(
      "'series[1].lower' and 'series[1].y' must have the same length, got 1 and 2",
    );
    expect(bad({ name: 'b', x: [1, 2], y: [1, 2], lower: [0, 1] })).toThrow("'series[1].lower' and 'series[1].upper' must be given together");
    expect(bad({ name: 'b', x: [1, 2], y: [1, 2], lower: [0, 3], upper: [2, 2.5] })).toThrow(
      "'series[1].lower' must be <= 'series[1].upper' at every point, got 3 > 2.5 at index 1",
    );
    expect(bad({ name: 'b', x: [1, 2], y: [1, 2], upper: [2, Number.NaN], lower: [0, 1] })).toThrow("'series[1].upper' must hold only finite numbers");
    expect(bad({ x: [1], y: [1] })).toThrow("'series[1].name' must be a string");
    expect(bad({ name: 'b', x: [1], y: [1], mode: 'bars' })).toThrow("'series[1].mode' must be one of");
    expect(bad({ name: 'b', x: [1], y: [1], text: ['a', 'b'] })).toThrow("'series[1].text' and 'series[1].x' must have the same length");
    expect(() => lineFigure([ok], { logY: true }).data).not.toThrow();
    expect(() => lineFigure([{ name: 'a', x: [1, 2], y: [1, 0] }], { logY: true })).toThrow("'series[0].y' must be > 0 with logY, got 0 at index 1");
    expect(() => lineFigure([{ name: 'a', x: ['p', 'q'], y: [1, 1] }], { logX: true })).toThrow("'series[0].x' must hold numbers > 0 with logX");
    expect(() => lineFigure([ok], { width: 20 })).toThrow("lineFigure: 'opts.width' must be an integer >= 100 and <= 4000, got 20");
    expect(() => lineFigure([ok], { title: 3 as unknown as string })).toThrow("lineFigure: 'opts.title' must be a string, got 3");
  });
});

describe('scatterFigure', () => {
  it('draws markers with hover text and asymmetric error bars from lower/upper', () => {
    const fig = scatterFigure([{ name: 'p', x: [1, 2], y: [0.5, 0.8], lower: [0.4, 0.5], upper: [0.55, 1.0], text: ['a', 'b'] }]);
    const [t] = traces(fig);
    expect(t).toMatchObject({ type: 'scatter', mode: 'markers', text: ['a', 'b'], marker: { color: FIGURE_PALETTE[0] } });
    expect(t.line).toBeUndefined();
    expect(t.error_y.symmetric).toBe(false);
    expect(t.error_y.array[0]).toBeCloseTo(0.05, 12);
    expect(t.error_y.array[1]).toBeCloseTo(0.2, 12);
    expect(t.error_y.arrayminus[0]).toBeCloseTo(0.1, 12);
    expect(t.error_y.arrayminus[1]).toBeCloseTo(0.3, 12);
  });

  it('refuses an interval that does not contain its point', () => {
    expect(() => scatterFigure([{ name: 'p', x: [1, 2], y: [0.5, 0.8], lower: [0.4, 0.9], upper: [0.6, 1] }])).toThrow(
      "scatterFigure: 'series[0].lower' <= 'series[0].y' <= 'series[0].upper' must hold for error bars, got 0.9, 0.8, 1 at index 1",
    );
  });
});

describe('barFigure', () => {
  it('groups by default, stacks on request, keeps x as categories', () => {
    const s: Series[] = [
      { name: 'cpu', x: [16, 32], y: [3, 5], lower: [2, 5], upper: [4, 6] },
      { name: 'gpu', x: [16, 32], y: [1, 2] },
    ];
    const fig = barFigure(s, { yTitle: 'ms' });
    expect(traces(fig).map((t) => [t.type, t.name, t.marker.color])).toEqual([
      ['bar', 'cpu', FIGURE_PALETTE[0]],
      ['bar', 'gpu', FIGURE_PALETTE[1]],
    ]);
    expect(traces(fig)[0].error_y).toMatchObject({ array: [1, 1], arrayminus: [1, 0], symmetric: false });
    expect(traces(fig)[1].error_y).toBeUndefined();
    expect(layout(fig)).toMatchObject({ barmode: 'group', xaxis: { type: 'category' }, showlegend: true });
    expect(layout(barFigure(s, { barmode: 'stack' })).barmode).toBe('stack');
  });

  it('rejects unknown bar modes and log x', () => {
    const s: Series[] = [{ name: 'a', x: ['u'], y: [1] }];
    expect(() => barFigure(s, { barmode: 'overlay' as 'group' })).toThrow("barFigure: 'opts.barmode' must be one of \"group\", \"stack\", got \"overlay\"");
    expect(() => barFigure(s, { logX: true })).toThrow("barFigure: 'opts.logX' is not supported");
  });
});

describe('heatmapFigure', () => {
  it('draws the matrix with its labels, rows top to bottom, values on request', () => {
    const fig = heatmapFigure([[1, 2, 3], [4, 5, 6]], { x: ['a', 'b', 'c'], y: ['r1', 'r2'], showValues: true, title: 'H' });
    const [t] = traces(fig);
    expect(t).toMatchObject({ type: 'heatmap', z: [[1, 2, 3], [4, 5, 6]], x: ['a', 'b', 'c'], y: ['r1', 'r2'], colorscale: 'Viridis', texttemplate: '%{z:.3~g}' });
    expect(t.zmid).toBeUndefined();
    expect(layout(fig)).toMatchObject({ yaxis: { autorange: 'reversed', type: 'category' }, xaxis: { type: 'category' }, showlegend: false });
    expect(traces(heatmapFigure([[1]])).at(0)?.texttemplate).toBeUndefined();
  });

  it('centres a diverging scale on zero when values have both signs', () => {
    expect(traces(heatmapFigure([[-0.5, 1]], { colorscale: 'RdBu' }))[0].zmid).toBe(0);
    expect(traces(heatmapFigure([[0.5, 1]], { colorscale: 'RdBu' }))[0].zmid).toBeUndefined();
    expect(traces(heatmapFigure([[-0.5, 1]], { colorscale: 'Viridis' }))[0].zmid).toBeUndefined();
  });

  it('names the argument when the matrix or labels are wrong', () => {
    expect(() => heatmapFigure([])).toThrow("heatmapFigure: 'z' must have at least 1 item");
    expect(() => heatmapFigure([[]])).toThrow("heatmapFigure: 'z[0]' must have at least 1 item");
    expect(() => heatmapFigure([[1, 2], [3]])).toThrow("heatmapFigure: 'z' must be rectangular: 'z[1]' has length 1, 'z[0]' has length 2");
    expect(() => heatmapFigure([[1, 2], [3, NaN]])).toThrow("heatmapFigure: 'z[1]' must hold only finite numbers, got NaN at index 1");
    expect(() => heatmapFigure([[1, 2]], { x: ['a'] })).toThrow("heatmapFigure: 'opts.x' must have one label per column (2), got length 1");
    expect(() => heatmapFigure([[1, 2]], { y: ['a', 'b'] })).toThrow("heatmapFigure: 'opts.y' must have one label per row (1), got length 2");
    expect(() => heatmapFigure([[1]], { colorscale: 'Magma' })).toThrow("heatmapFigure: 'opts.colorscale' must be one of");
    expect(() => heatmapFigure([[1]], { logY: true })).toThrow("heatmapFigure: 'opts.logX'/'opts.logY' are not supported");
    expect(() => heatmapFigure([[1]], { showValues: 'yes' as unknown as boolean })).toThrow("heatmapFigure: 'opts.showValues' must be a boolean");
  });
});

describe('figureSummary and checkFigure', () => {
  it('summarises title and trace count', () => {
    const fig = lineFigure([{ name: 'a', x: [1], y: [2], lower: [1], upper: [3] }], { title: 'Accuracy' });
    expect(figureSummary(fig)).toBe('[figure: Accuracy — 3 traces]');
    expect(figureSummary(scatterFigure([{ name: 'a', x: [1], y: [2] }]))).toBe('[figure: untitled — 1 trace]');
    expect(figureSummary({ data: [], layout: { title: 'plain' } })).toBe('[figure: plain — 0 traces]');
  });

  it('rejects values that are not figures', () => {
    expect(() => checkFigure({ data: {}, layout: {} }, 'show')).toThrow("show: 'fig' must be a figure { data: object[], layout: object }");
    expect(() => checkFigure({ data: [1], layout: {} }, 'show')).toThrow(TypeError);
    expect(() => checkFigure(null, 'show')).toThrow('got null');
  });
});

describe('histogramFigure and bandsFigure', () => {
  it('counts values per bin for each group, on shared bins', async () => {
    const { histogramFigure } = await import('../../src/viz/figures');
    const fig = histogramFigure([{ name: 'a', values: [1, 2, 7, 12] }, { name: 'b', values: [9] }], { binWidth: 5, min: 0, max: 10 });
    const bars = fig.data as { x: string[]; y: number[] }[];
    expect(bars[0].x).toEqual(['0-5', '5-10']);
    expect(bars.map((b) => b.y)).toEqual([[2, 1], [0, 1]]);
    expect(() => histogramFigure([{ name: 'a', values: [1] }], { binWidth: 0, min: 0, max: 1 })).toThrow(/'opts.binWidth' must be a number > 0/);
  });
  it('draws one banded line per result', async () => {
    const { bandsFigure } = await import('../../src/viz/figures');
    const band = { evaluations: [1, 2], mean: [1, 2], lower: [0, 1], upper: [2, 3], level: 0.95 };
    expect(bandsFigure([{ name: 'x', band }, { name: 'y', band }]).data.length).toBeGreaterThanOrEqual(4);
  });
});

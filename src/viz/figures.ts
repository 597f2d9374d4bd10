/**
 * Figure builders: each returns a plain plotly figure spec `{ data, layout }` (JSON-safe, no
 * functions, no class instances), so a figure can be shown in a notebook, saved to a file, or
 * checked in a test without a browser. Drawing lives in `notebook.ts`; nothing here knows about
 * tslab or the DOM.
 *
 * All figures share one look (palette, font, margins, white background with light grid lines),
 * written out explicitly instead of naming a plotly template, so the spec alone says how it looks.
 */
import { checkArray, checkInt, checkNumber, checkOneOf, checkSameLength, describe } from '../core/checks';
import type { CurveBand } from '../strategies/compare';

/** An axis value: a number (continuous axis) or a string (category). */
export type Label = number | string;

/** One named series of points; `lower`/`upper` (both or neither) give an interval per point. */
export interface Series {
  name: string;
  x: Label[];
  y: number[];
  lower?: number[];
  upper?: number[];
  mode?: 'lines' | 'markers' | 'lines+markers';
  /** Hover text, one per point. */
  text?: string[];
}

/** Options shared by every figure builder. */
export interface FigureOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
  logY?: boolean;
  /** Width in pixels; without it the figure fills the width of its container. */
  width?: number;
  height?: number;
}

/** A plain plotly figure: the arguments of `Plotly.newPlot(div, data, layout)`. */
export interface Figure {
  data: object[];
  layout: object;
}

/** Options of `barFigure`. */
export type BarFigureOptions = FigureOptions & { barmode?: 'group' | 'stack' };

/** Options of `heatmapFigure`. */
export type HeatmapFigureOptions = FigureOptions & {
  x?: Label[];
  y?: Label[];
  colorscale?: string;
  showValues?: boolean;
};

/** A colour-blind-aware qualitative palette (seaborn "deep"), used in series order. */
export const FIGURE_PALETTE: readonly string[] = [
  '#4C72B0',
  '#DD8452',
  '#55A868',
  '#C44E52',
  '#8172B3',
  '#937860',
  '#DA8BC3',
  '#8C8C8C',
  '#CCB974',
  '#64B5CD',
];

/** Opacity of the shaded interval around a line. */
const BAND_ALPHA = 0.2;
const DEFAULT_HEIGHT = 420;
const FONT_FAMILY = '"Helvetica Neue", Helvetica, Arial, sans-serif';
const GRID_COLOR = '#E5ECF6';
const AXIS_LINE_COLOR = '#B0B8C4';
const TEXT_COLOR = '#2A3F5F';

/** Plotly's built-in named colour scales (what `heatmapFigure`'s `colorscale` accepts). */
const COLORSCALES = [
  'Blackbody', 'Bluered', 'Blues', 'Cividis', 'Earth', 'Electric', 'Greens', 'Greys', 'Hot', 'Jet',
  'Picnic', 'Portland', 'Rainbow', 'RdBu', 'Reds', 'Viridis', 'YlGnBu', 'YlOrRd',
] as const;

/** The named scales that run from one hue through a light middle to another. */
const DIVERGING: ReadonlySet<string> = new Set(['RdBu', 'Picnic']);

type Trace = Record<string, unknown>;
type Layout = Record<string, unknown>;

/** The palette colour for series number `index` (wraps around). */
function seriesColor(index: number): string {
  return FIGURE_PALETTE[index % FIGURE_PALETTE.length];
}

/** `#RRGGBB` with an alpha channel, as an `rgba(...)` string plotly understands. */
function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function checkBoolean(name: string, value: unknown, caller: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw new TypeError(`${caller}: '${name}' must be a boolean, got ${describe(value)}`);
  }
  return value;
}

function checkOptionalText(name: string, value: unknown, caller: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new TypeError(`${caller}: '${name}' must be a string, got ${describe(value)}`);
  }
  return value;
}

/** An array of finite numbers; the message names the exact path, e.g. `series[1].y`. */
function checkFinite(name: string, value: unknown, caller: string): number[] {
  const arr = checkArray<unknown>(name, value, {}, caller);
  arr.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new TypeError(`${caller}: '${name}' must hold only finite numbers, got ${describe(v)} at index ${i}`);
    }
  });
  return arr as number[];
}

/** An array of labels: finite numbers or strings. */
function checkLabels(name: string, value: unknown, caller: string): Label[] {
  const arr = checkArray<unknown>(name, value, {}, caller);
  arr.forEach((v, i) => {
    const ok = typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
    if (!ok) {
      throw new TypeError(`${caller}: '${name}' must hold only strings or finite numbers, got ${describe(v)} at index ${i}`);
    }
  });
  return arr as Label[];
}

/** Validates the shared options and returns them normalised. */
function checkFigureOptions(opts: unknown, caller: string): FigureOptions {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new TypeError(`${caller}: 'opts' must be an object, got ${describe(opts)}`);
  }
  const o = opts as Record<string, unknown>;
  return {
    title: checkOptionalText('opts.title', o.title, caller),
    xTitle: checkOptionalText('opts.xTitle', o.xTitle, caller),
    yTitle: checkOptionalText('opts.yTitle', o.yTitle, caller),
    logX: checkBoolean('opts.logX', o.logX, caller),
    logY: checkBoolean('opts.logY', o.logY, caller),
    width: o.width === undefined ? undefined : checkInt('opts.width', o.width, { min: 100, max: 4000 }, caller),
    height: o.height === undefined ? undefined : checkInt('opts.height', o.height, { min: 100, max: 4000 }, caller),
  };
}

/** A validated copy of one series (copies so later changes to the caller's arrays do not leak in). */
function checkSeries(value: unknown, index: number, caller: string): Series {
  const at = `series[${index}]`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${caller}: '${at}' must be an object with name, x and y, got ${describe(value)}`);
  }
  const s = value as Record<string, unknown>;
  if (typeof s.name !== 'string') {
    throw new TypeError(`${caller}: '${at}.name' must be a string, got ${describe(s.name)}`);
  }
  const x = checkLabels(`${at}.x`, s.x, caller);
  const y = checkFinite(`${at}.y`, s.y, caller);
  checkSameLength(`${at}.x`, x, `${at}.y`, y, caller);
  const out: Series = { name: s.name, x: [...x], y: [...y] };
  if ((s.lower === undefined) !== (s.upper === undefined)) {
    throw new TypeError(`${caller}: '${at}.lower' and '${at}.upper' must be given together, got only '${s.lower === undefined ? 'upper' : 'lower'}'`);
  }
  if (s.lower !== undefined) {
    const lower = checkFinite(`${at}.lower`, s.lower, caller);
    const upper = checkFinite(`${at}.upper`, s.upper, caller);
    checkSameLength(`${at}.lower`, lower, `${at}.y`, y, caller);
    checkSameLength(`${at}.upper`, upper, `${at}.y`, y, caller);
    lower.forEach((lo, i) => {
      if (lo > upper[i]) {
        throw new RangeError(`${caller}: '${at}.lower' must be <= '${at}.upper' at every point, got ${lo} > ${upper[i]} at index ${i}`);
      }
    });
    out.lower = [...lower];
    out.upper = [...upper];
  }
  if (s.mode !== undefined) out.mode = checkOneOf(`${at}.mode`, s.mode, ['lines', 'markers', 'lines+markers'] as const, caller);
  if (s.text !== undefined) {
    const text = checkArray<unknown>(`${at}.text`, s.text, {}, caller);
    checkSameLength(`${at}.text`, text, `${at}.x`, x, caller);
    text.forEach((t, i) => {
      if (typeof t !== 'string') throw new TypeError(`${caller}: '${at}.text' must hold only strings, got ${describe(t)} at index ${i}`);
    });
    out.text = [...(text as string[])];
  }
  return out;
}

function checkSeriesList(series: unknown, caller: string): Series[] {
  return checkArray<unknown>('series', series, { minLength: 1 }, caller).map((s, i) => checkSeries(s, i, caller));
}

/** A log axis cannot show zero or negative values (plotly would drop them without a word). */
function checkPositiveForLog(series: Series[], opts: FigureOptions, caller: string): void {
  series.forEach((s, k) => {
    if (opts.logY) {
      const ys: [string, number[]][] = [[`series[${k}].y`, s.y]];
      if (s.lower) ys.push([`series[${k}].lower`, s.lower]);
      for (const [name, arr] of ys) {
        const i = arr.findIndex((v) => v <= 0);
        if (i >= 0) throw new RangeError(`${caller}: '${name}' must be > 0 with logY, got ${arr[i]} at index ${i}`);
      }
    }
    if (opts.logX) {
      const i = s.x.findIndex((v) => typeof v !== 'number' || v <= 0);
      if (i >= 0) throw new RangeError(`${caller}: 'series[${k}].x' must hold numbers > 0 with logX, got ${describe(s.x[i])} at index ${i}`);
    }
  });
}

function axis(title: string | undefined, log: boolean | undefined): Layout {
  const a: Layout = {
    gridcolor: GRID_COLOR,
    zerolinecolor: GRID_COLOR,
    zerolinewidth: 1.5,
    showline: true,
    linecolor: AXIS_LINE_COLOR,
    ticks: 'outside',
    tickcolor: AXIS_LINE_COLOR,
    automargin: true,
  };
  if (title !== undefined) a.title = { text: title, standoff: 8 };
  if (log) a.type = 'log';
  return a;
}

/** The shared layout: the nasbook look, with titles, axis types and size from the options. */
function baseLayout(opts: FigureOptions, showLegend: boolean): Layout {
  const layout: Layout = {
    font: { family: FONT_FAMILY, size: 13, color: TEXT_COLOR },
    colorway: [...FIGURE_PALETTE],
    paper_bgcolor: '#FFFFFF',
    plot_bgcolor: '#FFFFFF',
    margin: { l: 64, r: 24, t: opts.title ? 56 : 24, b: 56, pad: 0 },
    height: opts.height ?? DEFAULT_HEIGHT,
    autosize: opts.width === undefined,
    hovermode: 'closest',
    hoverlabel: { font: { family: FONT_FAMILY } },
    showlegend: showLegend,
    legend: { bgcolor: 'rgba(255, 255, 255, 0.8)', bordercolor: GRID_COLOR, borderwidth: 1 },
    xaxis: axis(opts.xTitle, opts.logX),
    yaxis: axis(opts.yTitle, opts.logY),
  };
  if (opts.width !== undefined) layout.width = opts.width;
  if (opts.title !== undefined) layout.title = { text: opts.title, x: 0.02, xanchor: 'left', font: { size: 17 } };
  return layout;
}

/** The two invisible traces whose gap is filled: upper first, then lower with fill 'tonexty'. */
function bandTraces(s: Series, color: string): Trace[] {
  const edge = { width: 0, color, shape: 'linear' };
  const shared = { type: 'scatter', mode: 'lines', x: s.x, legendgroup: s.name, showlegend: false, hoverinfo: 'skip', line: edge };
  return [
    { ...shared, name: `${s.name} (upper)`, y: s.upper },
    { ...shared, name: `${s.name} (lower)`, y: s.lower, fill: 'tonexty', fillcolor: withAlpha(color, BAND_ALPHA) },
  ];
}

function scatterTrace(s: Series, color: string, defaultMode: Series['mode']): Trace {
  const mode = s.mode ?? defaultMode;
  const trace: Trace = { type: 'scatter', name: s.name, legendgroup: s.name, x: s.x, y: s.y, mode };
  if (mode !== 'markers') trace.line = { color, width: 2.25 };
  if (mode !== 'lines') trace.marker = { color, size: 7, line: { width: 0 } };
  if (s.text) trace.text = s.text;
  return trace;
}

/** Error bars from an interval: plotly wants distances from y, so lower <= y <= upper. */
function errorBars(s: Series, index: number, caller: string, color: string): Trace {
  const lower = s.lower as number[];
  const upper = s.upper as number[];
  s.y.forEach((y, i) => {
    if (lower[i] > y || y > upper[i]) {
      throw new RangeError(
        `${caller}: 'series[${index}].lower' <= 'series[${index}].y' <= 'series[${index}].upper' must hold for error bars, got ${lower[i]}, ${y}, ${upper[i]} at index ${i}`,
      );
    }
  });
  return {
    type: 'data',
    symmetric: false,
    array: s.y.map((y, i) => upper[i] - y),
    arrayminus: s.y.map((y, i) => y - lower[i]),
    color,
    thickness: 1.5,
    width: 4,
  };
}

/**
 * Lines, one per series; a series with `lower`/`upper` gets a shaded band of its colour.
 * @param series the lines; x and y of equal length, optional lower/upper of the same length
 * @param opts titles, log axes, size
 * @returns a plotly figure spec
 * @throws TypeError/RangeError naming the argument (e.g. `series[0].y`) when lengths differ,
 *   a value is not finite, lower > upper, or a log axis gets a value <= 0
 * @example
 * lineFigure([{ name: 'mean', x: [1, 2, 3], y: [0.5, 0.7, 0.8], lower: [0.4, 0.6, 0.75], upper: [0.6, 0.8, 0.85] }],
 *   { title: 'Accuracy', xTitle: 'epoch' }) // data: upper edge, filled lower edge, the line
 */
export function lineFigure(series: Series[], opts?: FigureOptions): Figure {
  const caller = 'lineFigure';
  const o = checkFigureOptions(opts, caller);
  const list = checkSeriesList(series, caller);
  checkPositiveForLog(list, o, caller);
  const data: Trace[] = [];
  list.forEach((s, i) => {
    const color = seriesColor(i);
    // Bands go before their line so the line is drawn on top of the shading.
    if (s.lower) data.push(...bandTraces(s, color));
    data.push(scatterTrace(s, color, 'lines'));
  });
  return { data, layout: baseLayout(o, list.length > 1) };
}

/**
 * Counts of values in equal bins [lo, lo + width), one bar series per named set of values, all on
 * the same bins: a histogram that compares groups (stacked by default).
 * @param groups `{ name, values }` sets to count
 * @param opts `{ binWidth, min, max }` (bins from min to max; a value outside is left out) plus bar options
 * @throws RangeError for a non-positive bin width or max <= min
 * @example histogramFigure([{ name: 'a', values: [1, 2, 7] }], { binWidth: 5, min: 0, max: 10 }) // bars '0-5': 2, '5-10': 1
 */
export function histogramFigure(
  groups: readonly { name: string; values: readonly number[] }[],
  opts: BarFigureOptions & { binWidth: number; min: number; max: number },
): Figure {
  const caller = 'histogramFigure';
  checkArray('groups', groups, { minLength: 1 }, caller);
  const width = checkNumber('opts.binWidth', opts?.binWidth, { min: 0, exclusiveMin: true }, caller);
  const min = checkNumber('opts.min', opts.min, {}, caller);
  const max = checkNumber('opts.max', opts.max, { min, exclusiveMin: true }, caller);
  const lows = Array.from({ length: Math.ceil((max - min) / width - 1e-9) }, (_, b) => min + b * width);
  const label = (lo: number) => `${+lo.toFixed(6)}-${+(lo + width).toFixed(6)}`;
  const { binWidth: _w, min: _lo, max: _hi, ...bar } = opts;
  return barFigure(
    groups.map(({ name, values }) => ({
      name,
      x: lows.map(label),
      y: lows.map((lo) => values.filter((v) => v >= lo && v < lo + width).length),
    })),
    { barmode: 'stack', ...bar },
  );
}

/**
 * Mean curves with their confidence bands, one per named result (strategies compared over seeds).
 * @param results `{ name, band }` pairs, e.g. the output of compareStrategies
 * @param opts titles and size
 * @example bandsFigure(compareStrategies(...), { title: 'Simple regret', yTitle: 'regret' })
 */
export function bandsFigure(results: readonly { name: string; band: CurveBand }[], opts?: FigureOptions): Figure {
  checkArray('results', results, { minLength: 1 }, 'bandsFigure');
  return lineFigure(
    results.map(({ name, band }) => ({ name, x: band.evaluations, y: band.mean, lower: band.lower, upper: band.upper })),
    { xTitle: 'evaluations', ...opts },
  );
}

/**
 * Points, one marker colour per series; `lower`/`upper` become vertical error bars.
 * @param series the point sets; `mode` may switch a series to lines or lines+markers
 * @param opts titles, log axes, size
 * @returns a plotly figure spec
 * @throws TypeError/RangeError naming the argument when lengths differ, a value is not finite,
 *   an interval does not contain its y, or a log axis gets a value <= 0
 * @example
 * scatterFigure([{ name: 'archs', x: [10, 20], y: [0.8, 0.9], text: ['a', 'b'] }], { xTitle: 'latency (ms)' })
 */
export function scatterFigure(series: Series[], opts?: FigureOptions): Figure {
  const caller = 'scatterFigure';
  const o = checkFigureOptions(opts, caller);
  const list = checkSeriesList(series, caller);
  checkPositiveForLog(list, o, caller);
  const data = list.map((s, i) => {
    const color = seriesColor(i);
    const trace = scatterTrace(s, color, 'markers');
    if (s.lower) trace.error_y = errorBars(s, i, caller, color);
    return trace;
  });
  return { data, layout: baseLayout(o, list.length > 1) };
}

/**
 * Bars over categories, grouped or stacked; `lower`/`upper` become error bars.
 * @param series one bar set per series; `x` holds the categories
 * @param opts titles, log y axis, size, `barmode` ('group' by default, or 'stack')
 * @returns a plotly figure spec
 * @throws TypeError/RangeError naming the argument when lengths differ, a value is not finite,
 *   an interval does not contain its y, `barmode` is unknown, or `logX` is asked for
 * @example
 * barFigure([{ name: 'acc', x: ['conv', 'pool'], y: [0.9, 0.7] }], { yTitle: 'accuracy' })
 */
export function barFigure(series: Series[], opts?: BarFigureOptions): Figure {
  const caller = 'barFigure';
  const o = checkFigureOptions(opts, caller);
  const barmode = opts?.barmode === undefined ? 'group' : checkOneOf('opts.barmode', opts.barmode, ['group', 'stack'] as const, caller);
  if (o.logX) throw new RangeError(`${caller}: 'opts.logX' is not supported: bars stand on categories`);
  const list = checkSeriesList(series, caller);
  checkPositiveForLog(list, o, caller);
  const data = list.map((s, i) => {
    const color = seriesColor(i);
    const trace: Trace = { type: 'bar', name: s.name, x: s.x, y: s.y, marker: { color, line: { width: 0 } } };
    if (s.text) trace.text = s.text;
    if (s.lower) trace.error_y = errorBars(s, i, caller, '#444444');
    return trace;
  });
  const layout = baseLayout(o, list.length > 1);
  layout.barmode = barmode;
  layout.bargap = 0.2;
  layout.bargroupgap = 0.05;
  // Categories stay categories even when they look like numbers (e.g. layer widths 16, 32, 64).
  (layout.xaxis as Layout).type = 'category';
  return { data, layout };
}

/**
 * A matrix as coloured cells; rows are drawn top to bottom, in the order of `z`, as in a table.
 * @param z the matrix: at least one row, every row the same length, finite numbers
 * @param opts titles, size, `x` (column labels), `y` (row labels), `colorscale` (a plotly
 *   named scale, 'Viridis' by default), `showValues` (write each value in its cell)
 * @returns a plotly figure spec
 * @throws TypeError/RangeError naming the argument when z is ragged or has non-finite values,
 *   labels do not match the matrix size, the colour scale is unknown, or a log axis is asked for
 * @example
 * heatmapFigure([[1, 2], [3, 4]], { x: ['a', 'b'], y: ['r1', 'r2'], showValues: true })
 */
export function heatmapFigure(z: number[][], opts?: HeatmapFigureOptions): Figure {
  const caller = 'heatmapFigure';
  const o = checkFigureOptions(opts, caller);
  if (o.logX || o.logY) throw new RangeError(`${caller}: 'opts.logX'/'opts.logY' are not supported: cells are categories`);
  const rows = checkArray<unknown>('z', z, { minLength: 1 }, caller).map((row, i) => [...checkFinite(`z[${i}]`, row, caller)]);
  const width = rows[0].length;
  if (width === 0) throw new RangeError(`${caller}: 'z[0]' must have at least 1 item, got an empty array`);
  rows.forEach((row, i) => {
    if (row.length !== width) throw new RangeError(`${caller}: 'z' must be rectangular: 'z[${i}]' has length ${row.length}, 'z[0]' has length ${width}`);
  });
  const xs = opts?.x === undefined ? undefined : checkLabels('opts.x', opts.x, caller);
  const ys = opts?.y === undefined ? undefined : checkLabels('opts.y', opts.y, caller);
  if (xs && xs.length !== width) throw new RangeError(`${caller}: 'opts.x' must have one label per column (${width}), got length ${xs.length}`);
  if (ys && ys.length !== rows.length) throw new RangeError(`${caller}: 'opts.y' must have one label per row (${rows.length}), got length ${ys.length}`);
  const colorscale = opts?.colorscale === undefined ? 'Viridis' : checkOneOf('opts.colorscale', opts.colorscale, COLORSCALES, caller);
  const showValues = checkBoolean('opts.showValues', opts?.showValues, caller) ?? false;

  const trace: Trace = {
    type: 'heatmap',
    z: rows,
    colorscale,
    colorbar: { outlinewidth: 0, thickness: 14 },
    hovertemplate: 'x: %{x}<br>y: %{y}<br>value: %{z:.4g}<extra></extra>',
    xgap: 1,
    ygap: 1,
  };
  // Cells without labels are numbered 0..n−1, and the numbers are passed: on category axes plotly
  // cannot size cells it numbers itself (Chromium draws the heatmap's image with NaN width).
  trace.x = xs ? [...xs] : Array.from({ length: width }, (_, i) => String(i));
  trace.y = ys ? [...ys] : Array.from({ length: rows.length }, (_, i) => String(i));
  if (showValues) {
    // '~' drops trailing zeros: 0.2 rather than 0.200.
    trace.texttemplate = '%{z:.3~g}';
    trace.textfont = { size: 12 };
  }
  // A diverging scale is centred on 0 when the values have both signs (correlations, differences),
  // so that the neutral colour means zero.
  const hasNegative = rows.some((row) => row.some((v) => v < 0));
  const hasPositive = rows.some((row) => row.some((v) => v > 0));
  if (DIVERGING.has(colorscale) && hasNegative && hasPositive) trace.zmid = 0;
  const layout = baseLayout(o, false);
  const xaxis = layout.xaxis as Layout;
  const yaxis = layout.yaxis as Layout;
  for (const a of [xaxis, yaxis]) {
    a.type = 'category';
    a.showgrid = false;
    a.showline = false;
    a.ticks = '';
  }
  yaxis.autorange = 'reversed';
  return { data: [trace], layout };
}

/**
 * A one-line description of a figure, used where it cannot be drawn (outside a notebook).
 * @param fig a figure spec
 * @returns e.g. `[figure: Accuracy — 3 traces]`
 * @throws TypeError if `fig` is not `{ data: [...], layout: {...} }`
 * @example figureSummary(lineFigure([{ name: 'a', x: [1], y: [2] }], { title: 'T' })) // '[figure: T — 1 trace]'
 */
export function figureSummary(fig: Figure): string {
  checkFigure(fig, 'figureSummary');
  const title = (fig.layout as { title?: unknown }).title;
  const text = typeof title === 'string' ? title : typeof (title as { text?: unknown })?.text === 'string' ? (title as { text: string }).text : '';
  const n = fig.data.length;
  return `[figure: ${text || 'untitled'} — ${n} trace${n === 1 ? '' : 's'}]`;
}

/**
 * Checks the shape of a figure spec (for figures built by hand as well as by the builders).
 * @param fig the value to check
 * @param caller the public function to name in the error
 * @throws TypeError if `fig` is not `{ data: object[], layout: object }`
 * @example checkFigure({ data: [], layout: {} }, 'show')
 */
export function checkFigure(fig: unknown, caller: string): Figure {
  const f = fig as Partial<Figure> | null;
  const ok =
    f !== null &&
    typeof f === 'object' &&
    Array.isArray(f.data) &&
    f.data.every((t) => t !== null && typeof t === 'object' && !Array.isArray(t)) &&
    f.layout !== null &&
    typeof f.layout === 'object' &&
    !Array.isArray(f.layout);
  if (!ok) throw new TypeError(`${caller}: 'fig' must be a figure { data: object[], layout: object }, got ${describe(fig)}`);
  return fig as Figure;
}

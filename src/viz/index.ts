/**
 * Plots and tables: plotly figure specs (plain JSON) and their display in a tslab notebook.
 * Only `notebook.ts` knows about tslab; the figure builders work anywhere.
 */
export {
  lineFigure,
  scatterFigure,
  barFigure,
  histogramFigure,
  bandsFigure,
  heatmapFigure,
  figureSummary,
  FIGURE_PALETTE,
  type Label,
  type Series,
  type FigureOptions,
  type BarFigureOptions,
  type HeatmapFigureOptions,
  type Figure,
} from './figures';
export { tableHtml, tableText, type TableOptions, type DataFrameLike } from './table';
export { dataFrame } from './dataframe';
export { show, showTable, showMarkdown, showHtml, showLive, showTiming, TIMING_MARK, type LiveOutput } from './notebook';

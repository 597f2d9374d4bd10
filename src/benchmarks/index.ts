/**
 * Benchmarks: the real NAS-Bench-201 table, NAS-Bench-Digits built by our own engine, and the
 * chapter-03 width benchmark trained on demand.
 */
export {
  NASBENCH201_DATASETS,
  NASBENCH201_FILE,
  NASBENCH201_SPLITS,
  loadNasBench201,
  nasBench201NetworkCost,
  type NasBench201,
  type NasBench201Cost,
  type NasBench201Dataset,
  type NasBench201Record,
  type NasBench201Split,
  type Nb201CellLike,
} from './nasbench201';
// NAS-Bench-Digits as a table to query, and one cell retrained live; building it is in `nasbook/nasbench`.
export {
  DEFAULT_DIGITS_PROTOCOL,
  TINY_DIGITS_PROTOCOL,
  DIGITS_TABLE_FILE,
  DIGITS_TIMING_FIELDS,
  loadBench,
  trainDigitsCell,
  digitsBenchData,
  verifyDigitsTable,
  reproducibleDigitsFields,
  type DigitsBench,
  type DigitsBenchEngine,
  type DigitsBenchProtocol,
  type DigitsBenchRecord,
  type DigitsEpochs,
  type DigitsRebuildCheck,
  type DigitsTableHeader,
  type DigitsTask,
} from './digits';
export { createWidthBench, DEFAULT_WIDTH_PROTOCOL, type WidthBench, type WidthBenchProtocol, type WidthEvaluation } from './widths';

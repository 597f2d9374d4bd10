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
export * from './digits';
export { createWidthBench, DEFAULT_WIDTH_PROTOCOL, type WidthBench, type WidthBenchProtocol, type WidthEvaluation } from './widths';

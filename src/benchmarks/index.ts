/** Tabular benchmarks: the real NAS-Bench-201 table, and NAS-Bench-Digits built by our own engine. */
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

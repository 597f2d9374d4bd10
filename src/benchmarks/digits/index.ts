/** NAS-Bench-Digits: the NAS-Bench-201 cell space trained on the digits by nasbook's own engine. */
export { DEFAULT_DIGITS_PROTOCOL, TINY_DIGITS_PROTOCOL, checkDigitsProtocol, sameDigitsProtocol, digitsBenchEngine, compatibleEngines } from './protocol';
export type { DigitsBenchProtocol, DigitsBenchEngine } from './protocol';
export { digitsBenchUniverse, digitsCellKey, parseCellSelection, selectDigitsCells, repeatsDigitsCell, digitsShardTasks } from './shard';
export type { CellSelection, DigitsTask } from './shard';
export { trainDigitsCell, digitsBenchData, DIGITS_TIMING_FIELDS } from './cell';
export type { DigitsBenchRecord } from './cell';
export { buildDigitsBench } from './build';
export type { DigitsBuildOptions, DigitsBuildSummary, DigitsTaskFailure } from './build';
export { readDigitsShard } from './shardFile';
export type { DigitsShardHeader, DigitsShard } from './shardFile';
export { mergeDigitsShards, loadBench, DIGITS_TABLE_FILE } from './table';
export type { DigitsBench, DigitsTableHeader, DigitsEpochs, DigitsMergeSummary } from './table';
export { verifyDigitsTable, reproducibleDigitsFields } from './verify';
export type { DigitsRebuildCheck } from './verify';
export { nasbenchMain } from './cli';

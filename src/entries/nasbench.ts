/**
 * `nasbook/nasbench`: building NAS-Bench-Digits (the resumable, shardable build, shard files,
 * merging, the rebuild check, the `npm run nasbench` command). Loading and querying the shipped
 * table (`loadBench`), its protocol and retraining one cell (`trainDigitsCell`) are in the
 * package root as well.
 *
 * @example import { buildDigitsBench, mergeDigitsShards } from "nasbook/nasbench";
 */
export * from '../benchmarks/digits';

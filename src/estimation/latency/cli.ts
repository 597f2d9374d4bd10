/**
 * The latency survey's command line (`npm run latency -- <options>`): times single operations and
 * ≥ 300 NAS-Bench-Digits networks at batch 1 and 64 on this machine, into a resumable shard file.
 *
 *   latency --out data/latency/survey-1-of-1.jsonl [--cells sample:300] [--shard i/n] [--batches 1,64]
 *           [--repeats 15] [--warmup 3] [--limit K]
 *
 * The networks are the NAS-Bench-Digits skeleton (its protocol's network options, 8x8x1 digits,
 * 10 classes) around a seeded sample of the table's cells. Run it with `nice`, one process at a
 * time: the numbers are wall-clock times, and other work on the machine shows in them (each
 * record carries the 1-minute load average when it ran).
 */
import { checkInt } from '../../core/checks';
import { intFlag, parseFlags, progressDisplay, runCommand } from '../../core/flags';
import { parseShard } from '../../core/shard';
import { DEFAULT_DIGITS_PROTOCOL } from '../../benchmarks/digits/protocol';
import { parseCellSelection, selectDigitsCells } from '../../benchmarks/digits/shard';
import { init } from '../../tensor/backend';
import { runLatencySurvey, type LatencySurveySettings } from './survey';

const USAGE = 'usage: latency --out <shard.jsonl> [--cells sample:300] [--shard i/n] [--batches 1,64] [--repeats 15] [--warmup 3] [--limit K]';
const KNOWN = ['out', 'cells', 'shard', 'batches', 'repeats', 'warmup', 'limit'];

/**
 * The survey settings the command uses: the NAS-Bench-Digits skeleton around `cells`.
 * @example latencySurveySettings('sample:300', [1, 64], 15, 3).cells.length // 300
 */
export function latencySurveySettings(cells: string, batches: number[], repeats: number, warmup: number): LatencySurveySettings {
  const p = DEFAULT_DIGITS_PROTOCOL;
  return {
    version: 1,
    inputShape: [8, 8, 1],
    numClasses: 10,
    network: { ...p.network },
    cells: selectDigitsCells(parseCellSelection(cells), p),
    batches,
    warmup,
    repeats,
    seed: 'latency-survey',
  };
}

/**
 * Runs the command.
 * @returns the exit code
 * @throws RangeError for an unknown or malformed option
 */
export async function latencyMain(argv: string[], log: (s: string) => void = console.log): Promise<number> {
  const flags = parseFlags(argv, KNOWN, 'latency', USAGE);
  if (!flags.out) throw new RangeError(`latency: --out is required\n${USAGE}`);
  const batches = (flags.batches ?? '1,64').split(',').map((b) => checkInt('--batches', Number(b), { min: 1, max: 4096 }, 'latency'));
  const settings = latencySurveySettings(flags.cells ?? 'sample:300', batches, intFlag(flags, 'repeats', 15, { min: 1 }, 'latency'), intFlag(flags, 'warmup', 3, { min: 0 }, 'latency'));
  const info = await init({ quiet: true });
  log(`latency survey: ${settings.cells.length} cells x batches ${batches.join(', ')} on ${info.backend}, shard ${flags.shard ?? '1/1'} -> ${flags.out}`);
  const progress = progressDisplay('latency', { unit: 'tasks', every: 25, log });
  const result = runLatencySurvey({
    settings,
    out: flags.out,
    shard: parseShard(flags.shard ?? '1/1', '--shard', 'latency'),
    limit: intFlag(flags, 'limit', undefined, { min: 0 }, 'latency'),
    progress: (done, total) => progress.update(done, total),
  });
  progress.stop();
  log(`done: ${result.before + result.ran}/${result.total} tasks (${result.ran} now, ${result.before} before)`);
  return 0;
}

if (require.main === module) runCommand(latencyMain);

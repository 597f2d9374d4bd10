/**
 * The SPOS experiment's command line (`npm run supernet -- <options>`): trains weight-sharing
 * supernets by uniform single-path sampling and scores a fixed sample of NAS-Bench-Digits cells with
 * inherited weights after every budget, into a resumable results file (see run.ts).
 *
 *   supernet --out data/supernet/spos-1-of-1.jsonl [--seeds 3] [--shard i/n] [--cells 300] [--budgets 0,1,2,4]
 *
 * Killed and started again with the same arguments, it goes on where it stopped; `--shard i/n`
 * splits the seeds over processes or machines (one file each); loadSposRun reads them together.
 */
import { intFlag, parseFlags, runCommand } from '../../core/flags';
import { parseShard } from '../../core/shard';
import { loadBench } from '../../benchmarks/digits/table';
import { init } from '../../tensor/backend';
import { runSpos, sposRunHeader } from './run';

const USAGE = 'usage: supernet --out <results.jsonl> [--seeds N] [--shard i/n] [--cells K] [--budgets 0,1,2,...] [--search-trials T]';

/**
 * Runs the command.
 * @returns the exit code
 * @throws RangeError for an unknown or malformed option
 */
export async function supernetMain(argv: string[], log: (s: string) => void = console.log): Promise<number> {
  const command = 'supernet';
  const flags = parseFlags(argv, ['out', 'seeds', 'shard', 'cells', 'budgets', 'search-trials'], command, USAGE);
  if (!flags.out) throw new RangeError(`${command}: --out is required\n${USAGE}`);
  const seeds = intFlag(flags, 'seeds', 3, { min: 1 }, command);
  const cells = intFlag(flags, 'cells', undefined, { min: 2 }, command);
  const searchTrials = intFlag(flags, 'search-trials', undefined, { min: 1 }, command);
  const budgets = flags.budgets === undefined ? undefined : flags.budgets.split(',').map(Number);
  const shard = parseShard(flags.shard ?? '1/1', '--shard', command);
  const info = await init({ quiet: true });
  const header = sposRunHeader(loadBench(), info.backend, { budgets, cells, searchTrials });
  log(`SPOS on ${info.backend} (kernels ${header.engine.kernels}): ${seeds} seeds (shard ${flags.shard ?? '1/1'}), budgets ${header.budgets.join(', ')}, ${header.cells.length} cells -> ${flags.out}`);
  // Records differ in cost (a budget evaluates every cell, a search a hundred): each is logged with its times.
  const started = Date.now();
  const result = await runSpos({
    header,
    out: flags.out,
    seeds,
    shard,
    progress: (r) => {
      const what = r.kind === 'budget' ? `E = ${r.epochs}: train ${r.trainSeconds.toFixed(1)} s, evaluations ${(r.evalSeconds.moving + r.evalSeconds.recalibrated).toFixed(1)} s` : `search ${r.run}: ${r.seconds.toFixed(1)} s`;
      log(`  seed ${r.seed} ${what} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
    },
  });
  log(`done: ${result.ran} records now, ${result.before} before`);
  return 0;
}

if (require.main === module) runCommand(supernetMain);

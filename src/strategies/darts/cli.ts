/**
 * The DARTS collapse experiment's command line (`npm run darts -- <options>`): runs the plan of
 * collapse.ts (DARTS_COLLAPSE_PLAN, or with `--plan` another of DARTS_PLANS) into a resumable shard file.
 *
 *   darts --out data/darts/collapse-1-of-1.jsonl [--plan collapse|long|long-large-step] [--shard i/n] [--limit K]
 *
 * Killed and started again with the same arguments, it goes on with the first unfinished run;
 * shards run in separate processes and are read back together by loadDartsCollapse.
 */
import { intFlag, parseFlags, runCommand } from '../../core/flags';
import { parseShard } from '../../core/shard';
import { loadBench } from '../../benchmarks/digits/table';
import { loadNasBench201 } from '../../benchmarks/nasbench201';
import { init } from '../../tensor/backend';
import { checkOneOf } from '../../core/checks';
import { dartsCollapseHeader, DARTS_PLANS, runDartsCollapse } from './collapse';
import { cellRanker } from './lookup';

const USAGE = 'usage: darts --out <shard.jsonl> [--plan collapse|long|long-large-step] [--shard i/n] [--limit K]';

/**
 * Runs the command.
 * @returns the exit code
 * @throws RangeError for an unknown or malformed option
 */
export async function dartsMain(argv: string[], log: (s: string) => void = console.log): Promise<number> {
  const flags = parseFlags(argv, ['out', 'plan', 'shard', 'limit'], 'darts', USAGE);
  if (!flags.out) throw new RangeError(`darts: --out is required\n${USAGE}`);
  const limit = intFlag(flags, 'limit', undefined, { min: 0 }, 'darts');
  const shard = parseShard(flags.shard ?? '1/1', '--shard', 'darts');
  const plan = checkOneOf('--plan', flags.plan ?? 'collapse', Object.keys(DARTS_PLANS) as (keyof typeof DARTS_PLANS)[], 'darts');
  const info = await init({ prefer: 'wasm', quiet: true });
  const header = dartsCollapseHeader(info.backend, DARTS_PLANS[plan]);
  log(`DARTS collapse: ${header.runs.length} runs on ${info.backend}, shard ${shard.index}/${shard.count} -> ${flags.out}`);
  const rank = cellRanker(loadBench(), loadNasBench201());
  const started = Date.now();
  const result = runDartsCollapse({
    header,
    out: flags.out,
    shard,
    rank,
    limit,
    progress: (key, e) => {
      const c = e.cells.withoutNone;
      log(`  ${key} epoch ${e.epoch}: skip argmax ${e.skipArgmaxShare.toFixed(2)}, skip weight ${e.meanSkipWeight.toFixed(3)}, ${c.cell} digits rank ${c.digits.rank} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    },
  });
  log(`done: ${result.before + result.ran}/${result.total} runs (${result.ran} now, ${result.before} before)`);
  return 0;
}

if (require.main === module) runCommand(dartsMain);

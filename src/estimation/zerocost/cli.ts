/**
 * The zero-cost survey's command line (`npm run zerocost -- <options>`): scores every cell of a
 * table with the zero-cost proxies into a resumable shard file (see survey.ts).
 *
 *   zerocost --survey digits|nb201 --out data/zerocost/digits-1-of-1.jsonl [--shard i/n] [--limit K]
 *
 * Killed and started again with the same arguments, it goes on where it stopped; shards run on
 * separate machines (or processes) and are read back together by loadZeroCostSurvey.
 */
import { checkOneOf } from '../../core/checks';
import { intFlag, parseFlags, progressDisplay, runCommand } from '../../core/flags';
import { parseShard } from '../../core/shard';
import { init } from '../../tensor/backend';
import { runZeroCostSurvey, zeroCostSurveyHeader, ZERO_COST_SURVEYS } from './survey';

const USAGE = 'usage: zerocost --survey digits|nb201 --out <shard.jsonl> [--shard i/n] [--limit K]';

/**
 * Runs the command.
 * @returns the exit code
 * @throws RangeError for an unknown or malformed option
 */
export async function zeroCostMain(argv: string[], log: (s: string) => void = console.log): Promise<number> {
  const flags = parseFlags(argv, ['survey', 'out', 'shard', 'limit'], 'zerocost', USAGE);
  if (!flags.out || !flags.survey) throw new RangeError(`zerocost: --survey and --out are required\n${USAGE}`);
  const survey = checkOneOf('--survey', flags.survey, ZERO_COST_SURVEYS, 'zerocost');
  const limit = intFlag(flags, 'limit', undefined, { min: 0 }, 'zerocost');
  const info = await init({ quiet: true });
  const header = zeroCostSurveyHeader(survey, info.backend);
  log(`zero-cost survey '${survey}' (${header.proxies.join(', ')}) on ${info.backend}, shard ${flags.shard ?? '1/1'} -> ${flags.out}`);
  const progress = progressDisplay('zerocost', { unit: 'cells', log });
  const result = runZeroCostSurvey({
    header,
    out: flags.out,
    shard: parseShard(flags.shard ?? '1/1', '--shard', 'zerocost'),
    limit,
    progress: (done, total) => progress.update(done, total),
  });
  progress.stop();
  log(`done: ${result.before + result.ran}/${result.total} cells (${result.ran} now, ${result.before} before)`);
  return 0;
}

if (require.main === module) runCommand(zeroCostMain);

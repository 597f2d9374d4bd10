/**
 * The NAS-Bench-Digits command line (`npm run nasbench -- <command>`):
 *
 *   build --out <shard.jsonl> [--cells all|sample:N|first:N] [--shard i/n] [--jobs N] [--limit K] [--protocol <file.json>] [--reuse <shards>]
 *   merge <shard files...> --out <table.jsonl.gz>
 *   verify <table.jsonl.gz> [--count K] [--seed S]
 *   protocol                      prints the default protocol as JSON
 *   worker                        (internal) a build worker process, started by build --jobs N
 */
import * as fs from 'fs';
import { describe } from '../../core/checks';
import { intFlag, parseCommandLine, progressDisplay, runCommand } from '../../core/flags';
import { createRng } from '../../core/rng';
import { buildDigitsBench, runDigitsWorker } from './build';
import { checkDigitsProtocol, DEFAULT_DIGITS_PROTOCOL, type DigitsBenchProtocol } from './protocol';
import { mergeDigitsShards } from './table';
import { verifyDigitsTable } from './verify';

const USAGE = `usage:
  nasbench build --out <shard.jsonl> [--cells all|sample:N|first:N] [--shard i/n] [--jobs N] [--limit K] [--protocol file.json] [--reuse a.jsonl,b.jsonl] [--no-progress]
  nasbench merge <shard files...> --out <table.jsonl.gz>
  nasbench verify <table.jsonl.gz> [--count K] [--seed S]
  nasbench protocol`;

/** Flags and positional arguments of one subcommand. */
function parseArgs(sub: string, args: string[], known: readonly string[], bare: readonly string[] = []): { flags: Record<string, string>; positional: string[] } {
  return parseCommandLine(args, { command: `nasbench ${sub}`, usage: USAGE, known, bare, positional: true });
}

function intArg(flags: Record<string, string>, name: string, min: number): number | undefined {
  return intFlag(flags, name, undefined, { min }, 'nasbench');
}

function readProtocol(file: string | undefined): DigitsBenchProtocol {
  if (file === undefined) return DEFAULT_DIGITS_PROTOCOL;
  if (!fs.existsSync(file)) throw new Error(`nasbench: --protocol ${describe(file)} does not exist`);
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`nasbench: --protocol ${describe(file)} is not JSON: ${(err as Error).message}`);
  }
  return checkDigitsProtocol(value, 'nasbench');
}

async function buildCommand(args: string[], log: (s: string) => void): Promise<boolean> {
  const { flags, positional } = parseArgs('build', args, ['out', 'cells', 'shard', 'jobs', 'limit', 'protocol', 'reuse'], ['no-progress']);
  if (positional.length > 0) throw new RangeError(`nasbench build: unexpected argument ${describe(positional[0])}`);
  if (flags.out === undefined) throw new RangeError(`nasbench build: '--out <shard file>' is required`);
  const progress = progressDisplay('nasbench', { unit: 'tasks', quiet: flags['no-progress'] !== undefined, every: 10, log });
  const summary = await buildDigitsBench({
    out: flags.out,
    protocol: readProtocol(flags.protocol),
    cells: flags.cells,
    shard: flags.shard,
    jobs: intArg(flags, 'jobs', 1),
    limit: intArg(flags, 'limit', 0),
    reuse: flags.reuse === undefined ? undefined : flags.reuse.split(',').filter((f) => f.length > 0),
    onRecord: (done, total, r) => progress.update(done, total, `${r.cell} ${(r.validationAccuracy[r.validationAccuracy.length - 1] * 100).toFixed(1)}%`),
  });
  progress.stop();
  log(
    `nasbench build: ${summary.tasks} tasks in this shard, ${summary.skipped} already done, ${summary.reused > 0 ? `${summary.reused} copied from --reuse, ` : ''}${summary.trained} trained now, ${summary.remaining} left` +
      ` (tfjs ${summary.engine.tfjs} on ${summary.engine.backend}) -> ${flags.out}`,
  );
  for (const f of summary.failed) log(`FAILED  ${f.cell}  seed ${f.seed}: ${f.message}`);
  if (summary.failed.length > 0) log(`nasbench build: ${summary.failed.length} tasks failed and stay missing; run the same command again to retry them`);
  return summary.failed.length === 0;
}

function mergeCommand(args: string[], log: (s: string) => void): void {
  const { flags, positional } = parseArgs('merge', args, ['out']);
  if (flags.out === undefined) throw new RangeError(`nasbench merge: '--out <table.jsonl.gz>' is required`);
  if (positional.length === 0) throw new RangeError('nasbench merge: give at least one shard file');
  const { header } = mergeDigitsShards(positional, flags.out);
  log(`nasbench merge: ${header.cellCount} cells, ${header.recordCount} records, ${header.missing} tasks missing -> ${flags.out}`);
}

async function verifyCommand(args: string[], log: (s: string) => void): Promise<boolean> {
  const { flags, positional } = parseArgs('verify', args, ['count', 'seed']);
  if (positional.length !== 1) throw new RangeError('nasbench verify: give exactly one table file');
  const checks = await verifyDigitsTable(positional[0], { count: intArg(flags, 'count', 1), rng: createRng(flags.seed ?? 'verify') });
  for (const c of checks) log(`${c.differences.length === 0 ? 'same' : `DIFFERENT (${c.differences.join(', ')})`}  ${c.cell}  seed ${c.seed}`);
  return checks.every((c) => c.differences.length === 0);
}

/**
 * Runs one nasbench command (see the usage in this file's header).
 * @param argv the arguments after the script name, e.g. ['build', '--out', 'shard.jsonl']
 * @param log where messages go (default console.log)
 * @returns the process exit code (0 on success, 1 when a build task failed or verify finds a difference)
 * @throws RangeError for an unknown command or option, and whatever the command throws
 * @example await nasbenchMain(['merge', 's1.jsonl', 's2.jsonl', '--out', 'table.jsonl.gz'])
 */
export async function nasbenchMain(argv: string[], log: (s: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'build':
      return (await buildCommand(rest, log)) ? 0 : 1;
    case 'merge':
      mergeCommand(rest, log);
      return 0;
    case 'verify':
      return (await verifyCommand(rest, log)) ? 0 : 1;
    case 'protocol':
      log(JSON.stringify(DEFAULT_DIGITS_PROTOCOL, null, 2));
      return 0;
    case 'worker':
      runDigitsWorker();
      return 0;
    default:
      throw new RangeError(`nasbench: unknown command ${describe(command)}\n${USAGE}`);
  }
}

// A worker keeps running on its IPC channel and exits when told to stop.
if (require.main === module) runCommand(nasbenchMain, { keepAlive: (argv) => argv[0] === 'worker' });

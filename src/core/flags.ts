/**
 * The command-line plumbing shared by nasbook's precompute commands (`npm run nasbench`,
 * `npm run latency`, `npm run zerocost`, ...): one flag parser, so every command rejects an
 * unknown or valueless flag the same way, with its usage; one progress display (a bar on a
 * terminal, a line every so often in a log file); one way to end the process.
 */
import { SingleBar, Presets } from 'cli-progress';
import { checkInt, describe } from './checks';

/** What a command accepts. */
export interface CommandSpec {
  /** The command's name, for messages ('nasbench build'). */
  command: string;
  /** The usage text, appended to every error. */
  usage: string;
  /** Flags that take a value (`--name value`), without dashes. */
  known: readonly string[];
  /** Flags that stand alone (`--no-progress`). */
  bare?: readonly string[];
  /** Whether arguments that are not flags are allowed (default false). */
  positional?: boolean;
}

/**
 * Reads `--name value` flags, `--name` switches and (when allowed) positional arguments.
 * @param argv the arguments after the command
 * @param spec the flags the command knows, its name and usage
 * @returns flags by name (a switch reads 'true') and the positional arguments in order
 * @throws RangeError naming the first unknown flag, a flag without its value, or an unexpected argument
 * @example parseCommandLine(['a.jsonl', '--out', 't.gz'], { command: 'merge', usage: '...', known: ['out'], positional: true })
 * // { flags: { out: 't.gz' }, positional: ['a.jsonl'] }
 */
export function parseCommandLine(argv: readonly string[], spec: CommandSpec): { flags: Record<string, string>; positional: string[] } {
  const { command, usage, known, bare = [] } = spec;
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      if (!spec.positional) throw new RangeError(`${command}: unexpected argument ${describe(arg)}\n${usage}`);
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (bare.includes(name)) {
      flags[name] = 'true';
    } else if (!known.includes(name)) {
      throw new RangeError(`${command}: unknown option ${describe(arg)}; known: ${[...known, ...bare].map((k) => `--${k}`).join(', ')}\n${usage}`);
    } else if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) {
      throw new RangeError(`${command}: option ${describe(arg)} needs a value\n${usage}`);
    } else {
      flags[name] = argv[++i];
    }
  }
  return { flags, positional };
}

/**
 * Reads `--name value` pairs of a command that takes no positional arguments.
 * @param argv the arguments after the command
 * @param known the flag names the command takes (without dashes)
 * @param command the command's name, for messages
 * @param usage the usage line, appended to every error
 * @throws RangeError naming the first argument that is not a known flag followed by a value
 * @example parseFlags(['--out', 'a.jsonl'], ['out', 'shard'], 'zerocost', 'usage: ...') // { out: 'a.jsonl' }
 */
export function parseFlags(argv: readonly string[], known: readonly string[], command: string, usage: string): Record<string, string> {
  return parseCommandLine(argv, { command, usage, known }).flags;
}

/**
 * An integer flag's value, or `fallback` when the flag is absent.
 * @throws RangeError naming the flag when its value is not an integer in range
 * @example intFlag({ limit: '5' }, 'limit', undefined, { min: 0 }, 'zerocost') // 5
 */
export function intFlag<F extends number | undefined>(flags: Record<string, string>, name: string, fallback: F, range: { min?: number; max?: number }, command: string): number | F {
  const text = flags[name];
  if (text === undefined) return fallback;
  const value = text.trim() === '' ? text : Number(text);
  return checkInt(`--${name}`, Number.isFinite(value) ? value : text, range, command);
}

/** Progress of a long command, shown by {@link progressDisplay}. */
export interface ProgressDisplay {
  /** `done` of `total` items finished (the first call starts the display); `detail` names the last one. */
  update(done: number, total: number, detail?: string): void;
  stop(): void;
}

/**
 * A progress bar (cli-progress) when stderr is a terminal, else a log line every `every` items and
 * at the end, with the seconds elapsed: a precompute started with `nohup` writes a readable log.
 * @param label what is counted ('zerocost', 'latency')
 * @param opts unit ('tasks'), every (items between log lines, 50), log (console.log), quiet (false:
 *   true shows nothing, for `--no-progress`)
 * @example const p = progressDisplay('zerocost', { unit: 'cells' }); p.update(1, 100); p.stop();
 */
export function progressDisplay(label: string, opts: { unit?: string; every?: number; log?: (s: string) => void; quiet?: boolean } = {}): ProgressDisplay {
  const { unit = 'tasks', every = 50, log = console.log } = opts;
  const useBar = process.stderr.isTTY === true;
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} ${unit} | ETA {eta_formatted} | {detail}`, stream: process.stderr }, Presets.shades_classic);
  const started = Date.now();
  let running = false;
  return {
    update(done, total, detail = '') {
      if (opts.quiet) return;
      if (useBar && !running) {
        bar.start(total, 0, { detail: '' });
        running = true;
      }
      if (running) bar.update(done, { detail });
      else if (done % every === 0 || done === total) log(`  ${done}/${total} ${unit} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

/**
 * Runs a command's main function when its file is the process's entry point: the exit code it
 * returns, or its error's message (not a stack: a wrong flag is the user's to fix) and exit 1.
 * @param main the command, given the arguments after the script
 * @param opts keepAlive: leave the exit code alone when it returns (a worker serving an IPC channel)
 * @example if (require.main === module) runCommand(zeroCostMain);
 */
export function runCommand(main: (argv: string[]) => Promise<number>, opts: { keepAlive?: (argv: string[]) => boolean } = {}): void {
  const argv = process.argv.slice(2);
  main(argv).then(
    (code) => {
      if (!opts.keepAlive?.(argv)) process.exitCode = code;
    },
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}

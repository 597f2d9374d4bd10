/**
 * The `nasbook` command: `start` (Jupyter with the nasbook kernel), `doctor` (what this machine
 * has), `check NN` (a chapter's public cases on the student's exercise file).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { courseDir, dataDir, packageRoot } from './core/paths';
import { parseShard } from './core/shard';
import {
  check, gradebookSummary, gradeClass, mergeGradebooks, readGradebook, writeGradebook, type HintLevel,
} from './grading';
import { writeGradescopeBundle } from './grading/gradescope';
import { memoryIsolation, networkIsolation } from './grading/sandbox';
import { releaseStudentEdition } from './grading/release';
import {
  ensureKernel, findJupyter, installKernel, kernelIsCurrent, kernelScript, KERNEL_NAME, missingJupyterApp, registeredKernel, removeKernel, type JupyterInstall, type KernelScope,
} from './jupyter';
import { init } from './tensor/backend';
import { wasmKernelStatus } from './tensor/kernels';
import { kernelPackStatus } from './tensor/pack';

function version(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Running as root, where Jupyter refuses to start without `--allow-root`. */
function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * `nasbook start`: register the kernel (always, with or without the Jupyter apps), then run Jupyter
 * Lab (else the Notebook) on notebooks/; where no app is installed, say what is missing and how
 * to install it, and how to run the notebooks without an app.
 */
function start(extra: string[]): void {
  const install = findJupyter();
  const { file, written } = ensureKernel(install);
  console.log(written ? `Registered the '${KERNEL_NAME}' kernel: ${file}` : `The '${KERNEL_NAME}' kernel is registered: ${file}`);
  const app = install.lab ?? install.notebook;
  const missing = missingJupyterApp(install);
  if (!app || missing) {
    console.error(missing);
    if (install.nbconvert) {
      console.error(`Without an app, run a notebook with the registered kernel:\n  jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=${KERNEL_NAME} ${path.join(courseDir('notebooks'), '01-no-free-lunch.ipynb')}`);
    }
    process.exit(1);
  }
  const args = [...extra];
  if (isRoot() && !args.includes('--allow-root')) {
    console.warn('nasbook: running as root, which Jupyter refuses by default: passing --allow-root. Run as an ordinary user where you can (a container may need root).');
    args.push('--allow-root');
  }
  const notebooks = courseDir('notebooks');
  const dirFlag = install.lab ? `--ServerApp.root_dir=${notebooks}` : `--notebook-dir=${notebooks}`;
  console.log(`Starting ${path.basename(app)} on ${notebooks}`);
  const child = spawn(app, [dirFlag, ...args], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** `nasbook kernel install`: register the kernel where asked (for nbconvert, JupyterHub images, CI). */
function kernelInstall(opts: { user?: boolean; sysPrefix?: boolean; prefix?: string }): void {
  const chosen = [opts.user && '--user', opts.sysPrefix && '--sys-prefix', opts.prefix !== undefined && '--prefix'].filter(Boolean);
  if (chosen.length > 1) throw new Error(`kernel install: give one of --user, --sys-prefix, --prefix, got ${chosen.join(' and ')}`);
  const scope: KernelScope = opts.sysPrefix ? { kind: 'sys-prefix' } : opts.prefix !== undefined ? { kind: 'prefix', prefix: opts.prefix } : { kind: 'user' };
  const file = installKernel(scope);
  console.log(`Registered the '${KERNEL_NAME}' kernel: ${file}`);
  console.log(`It starts ${kernelScript()} with ${process.execPath}, and serves each notebook with the nasbook its folder imports.`);
}

/** `nasbook kernel remove`. */
function kernelRemove(): void {
  const removed = removeKernel();
  console.log(removed ? `Removed the '${KERNEL_NAME}' kernel: ${removed}` : `No '${KERNEL_NAME}' kernel is registered.`);
  const left = registeredKernel();
  if (left) console.log(`Another registration remains in ${left.dir} (run 'nasbook kernel remove' again to remove it).`);
}

/** Whether nasbook's wasm gradient kernels are the ones registered. */
function kernelLine(): string {
  const states = wasmKernelStatus();
  const ours = states.filter((k) => k.registered).map((k) => k.kernelName);
  return ours.length === states.length ? `all ${ours.length} registered (${ours.join(', ')})` : `only ${ours.length} of ${states.length} registered`;
}

/** The registered kernel, and which copy of nasbook it starts. */
function jupyterKernelLine(install: JupyterInstall): string {
  const kernel = registeredKernel(install);
  if (!kernel) return `'${KERNEL_NAME}' not registered (\`nasbook start\` or \`nasbook kernel install\` registers it)`;
  if (kernelIsCurrent(install)) return `'${KERNEL_NAME}' at ${kernel.dir}`;
  const script = kernel.spec.argv[1] ?? '';
  return script.endsWith('kernelMain.js')
    ? `'${KERNEL_NAME}' at ${kernel.dir}, registered from another copy (${script}); it serves each notebook with the nasbook its folder imports`
    : `'${KERNEL_NAME}' at ${kernel.dir}, an older registration (${script}); \`nasbook start\` replaces it`;
}

/** Whether the SIMD kernel pack runs (and with it train()'s tape-free step), or why training falls back to the composed kernels and the tape. */
function packLine(): string {
  const status = kernelPackStatus();
  const fallback = 'training runs on the composed kernels and the gradient tape';
  if (!status.enabled) return `switched off (NASBOOK_KERNEL_PACK=off): ${fallback}`;
  return status.loaded ? `on: ${status.reason}; train() takes the tape-free step` : `not loaded, ${fallback}: ${status.reason}`;
}

/** `nasbook doctor`: one line per thing a student's setup needs. */
async function doctor(): Promise<void> {
  const install = findJupyter();
  const engine = await init({ quiet: true });
  const rows: [string, string][] = [
    ['nasbook', `${version()} at ${packageRoot()}`],
    ['Node.js', `${process.version}${Number(process.versions.node.split('.')[0]) < 20 ? '  (nasbook needs 20 or newer)' : ''}`],
    ['tfjs backend', `${engine.backend}${engine.native ? ' (native tfjs-node)' : engine.backend === 'wasm' ? ' (WebAssembly; `npm install @tensorflow/tfjs-node` for the native engine)' : ' (slow: training will take long)'}`],
    ['wasm kernels', engine.backend === 'wasm' ? kernelLine() : 'not needed (not on wasm)'],
    ['kernel pack', engine.backend === 'wasm' ? packLine() : 'not used (not on wasm)'],
    ['Jupyter', install.jupyter ?? 'not found (see `nasbook start` for how to install it)'],
    ['Jupyter app', install.lab ? `JupyterLab: ${install.lab}` : install.notebook ? `Notebook: ${install.notebook}` : 'not found'],
    ['nbconvert', install.nbconvert ?? 'not found (needed by `npm test` to run the notebooks)'],
    ['kernel', jupyterKernelLine(install)],
    ['data folder', `${dataDir()}${fs.existsSync(dataDir()) ? '' : ' (missing!)'}`],
    ['grader sandbox', graderIsolationLine()],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

/** What keeps a student's process in the grader from the network and the disk, on this machine. */
function graderIsolationLine(): string {
  const network = networkIsolation() === 'namespace'
    ? 'no network (a network namespace per student process, unshare -rn)'
    : 'network classes closed inside the student process (no network namespace here)';
  const memory = memoryIsolation() === 'rlimit'
    ? 'memory bounded by the operating system (prlimit --data) and a watch'
    : "memory bounded by V8's heap limit and a watch (no prlimit here)";
  return `${network}; ${memory}; Node permission model (reads: the library only; no writes, processes or workers)`;
}

/** `nasbook check NN`: each case printed as it finishes; exit code 0 when every public case passes. */
async function checkCommand(chapter: string, opts: { dir?: string; solutions?: boolean; hints?: string }): Promise<void> {
  const dir = opts.solutions ? courseDir('solutions') : opts.dir ? path.resolve(opts.dir) : undefined;
  const report = await check(chapter, { dir, hints: opts.hints as HintLevel | undefined });
  process.exitCode = report.score === report.maxScore ? 0 : 1;
}

interface GradeCommandOptions {
  out: string;
  seed?: string;
  jobs?: number;
  shard?: string;
  chapters?: string;
  callTimeout?: number;
}

function positiveInt(name: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`'${name}' must be an integer >= 1, got ${JSON.stringify(text)}`);
    return n;
  };
}

/** `nasbook grade <submissions> --out <dir> --seed <secret>`. */
async function gradeCommand(submissions: string, opts: GradeCommandOptions): Promise<void> {
  const seed = opts.seed ?? process.env.NASBOOK_SEED;
  if (!seed) throw new Error("grade: give the instructor's secret seed with --seed or the NASBOOK_SEED environment variable");
  const bar = new SingleBar({ format: 'grading [{bar}] {value}/{total} | ETA {eta_formatted} | {student}', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  let started = false;
  const gradebook = await gradeClass(submissions, {
    seed,
    jobs: opts.jobs,
    shard: opts.shard ? parseShard(opts.shard, '--shard', 'grade') : undefined,
    chapters: opts.chapters ? opts.chapters.split(',').map((c) => c.trim()) : undefined,
    limits: opts.callTimeout ? { callTimeoutMs: opts.callTimeout * 1000 } : undefined,
    onProgress: (done, total, student) => {
      if (!started) bar.start(total, 0, { student });
      started = true;
      bar.update(done, { student });
    },
  });
  if (started) bar.stop();
  writeGradebook(gradebook, opts.out);
  console.log(gradebookSummary(gradebook));
  console.log(`gradebook written to ${path.resolve(opts.out)} (grades.csv, gradebook.json, students/<student>/feedback.md, students/<student>/results.json)`);
}

/** `nasbook gradebook merge <dirs...> --out <dir>`. */
function mergeCommand(dirs: string[], opts: { out: string }): void {
  const merged = mergeGradebooks(dirs.map(readGradebook));
  writeGradebook(merged, opts.out);
  console.log(gradebookSummary(merged));
}

export function main(argv: string[] = process.argv): void {
  const program = new Command('nasbook').description('The Neural Architecture Search course companion').version(version());
  program
    .command('start')
    .description('register the nasbook Jupyter kernel if needed and open the notebooks in Jupyter')
    .allowUnknownOption()
    .argument('[jupyterArgs...]', 'passed on to Jupyter (e.g. --no-browser --port 8890)')
    .action((args: string[]) => start(args));
  const kernel = program.command('kernel').description('register or remove the nasbook Jupyter kernel (for nbconvert, JupyterHub, CI)');
  kernel
    .command('install')
    .description('register the kernel (default: for the current user)')
    .option('--user', "in the current user's Jupyter folder (default)")
    .option('--sys-prefix', "in the Python prefix of Jupyter (a virtualenv or conda env)")
    .option('--prefix <dir>', 'under <dir>/share/jupyter/kernels (a JupyterHub image, a shared install)')
    .action((opts: { user?: boolean; sysPrefix?: boolean; prefix?: string }) => kernelInstall(opts));
  kernel.command('remove').description('remove the registered kernel').action(() => kernelRemove());
  program.command('doctor').description('print what nasbook finds on this machine').action(() => doctor());
  program
    .command('check')
    .description("run a chapter's public cases on your exercise file, e.g. `nasbook check 01`")
    .argument('<chapter>', "chapter number or slug: '01', 'no-free-lunch'")
    .option('--dir <folder>', 'check the file in this folder instead of exercises/')
    .option('--solutions', 'check the reference solutions (instructors)')
    .option('--hints <level>', "'nudge' (default) or 'full': the fuller hints under failing cases")
    .action((chapter: string, opts: { dir?: string; solutions?: boolean; hints?: string }) => checkCommand(chapter, opts));
  program
    .command('grade')
    .description("grade a class: every submission folder or .zip under <submissions>, public and hidden cases, in sandboxed processes")
    .argument('<submissions>', 'folder holding one folder or .zip per student')
    .requiredOption('--out <dir>', 'where to write grades.csv, gradebook.json and per-student feedback.md and results.json')
    .option('--seed <secret>', "the instructor's secret seed for hidden cases (or NASBOOK_SEED)")
    .option('--jobs <n>', 'chapter files graded at once (default: number of cores)', positiveInt('--jobs'))
    .option('--shard <i/n>', 'grade only shard i of n (merge the shards with `nasbook gradebook merge`)')
    .option('--chapters <list>', 'comma-separated chapters to grade, e.g. 01,02 (default: all)')
    .option('--call-timeout <seconds>', 'time limit for one case (default 10)', positiveInt('--call-timeout'))
    .action((submissions: string, opts: GradeCommandOptions) => gradeCommand(submissions, opts));
  program
    .command('gradebook')
    .description('work with gradebooks')
    .command('merge')
    .description('join the gradebooks of shards graded apart')
    .argument('<dirs...>', "the shards' --out folders")
    .requiredOption('--out <dir>', 'where to write the merged gradebook')
    .action((dirs: string[], opts: { out: string }) => mergeCommand(dirs, opts));
  program
    .command('release')
    .description('write the student edition: notebooks without outputs, exercises, public cases, the library; no solutions')
    .argument('<dir>', 'an empty or new folder')
    .option('--force', 'replace the contents of a non-empty folder')
    .action((dir: string, opts: { force?: boolean }) => {
      const r = releaseStudentEdition(dir, { force: opts.force });
      console.log(`student edition written to ${r.dir}: ${r.files.length} files, ${r.strippedNotebooks.length} notebooks stripped of outputs`);
    });
  program
    .command('gradescope')
    .description("build a Gradescope autograder bundle (setup.sh, run_autograder) that runs nasbook's grader")
    .argument('<dir>', 'where to write the bundle and autograder.zip')
    .option('--seed <secret>', "the instructor's secret seed for hidden cases (or NASBOOK_SEED)")
    .option('--chapters <list>', 'comma-separated chapters to grade (default: all)')
    .option('--force', 'replace the contents of a non-empty folder')
    .option('--no-zip', 'do not write autograder.zip')
    .action((dir: string, opts: { seed?: string; chapters?: string; force?: boolean; zip: boolean }) => {
      const seed = opts.seed ?? process.env.NASBOOK_SEED;
      if (!seed) throw new Error("gradescope: give the instructor's secret seed with --seed or the NASBOOK_SEED environment variable");
      const chapters = opts.chapters ? opts.chapters.split(',').map((c) => c.trim()) : undefined;
      const r = writeGradescopeBundle(dir, { seed, chapters, force: opts.force, zip: opts.zip });
      console.log(`Gradescope bundle for chapters ${r.chapters.join(', ')} written to ${r.dir}${r.zip ? `; upload ${r.zip}` : ''}`);
    });
  program.parseAsync(argv).catch((e: unknown) => {
    console.error(`nasbook: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  });
}

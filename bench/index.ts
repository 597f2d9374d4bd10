/**
 * `npm run bench`: every benchmark section, one after the other (or only those named on the
 * command line: `node dist-bench/bench/index.js kernels`). Benchmarks measure and print; they
 * assert nothing (tests never time anything). A section that fails is reported and the others
 * still run; the exit code is non-zero if any failed.
 */
import { benchDarts } from './darts';
import { benchEngine } from './engine';
import { benchGrading } from './grading';
import { benchKernels } from './kernels';
import { benchLatency } from './latency';
import { benchPareto } from './pareto';
import { benchStrategies } from './strategies';
import { benchTraining } from './training';
import { benchTypecheck } from './typecheck';
import { benchZeroCost } from './zerocost';

const SECTIONS: Array<[string, () => Promise<void>]> = [
  ['kernels', benchKernels],
  ['training', benchTraining],
  ['engine', benchEngine],
  ['darts', benchDarts],
  ['grading', benchGrading],
  ['typecheck', benchTypecheck],
  ['strategies', benchStrategies],
  ['latency', benchLatency],
  ['pareto', benchPareto],
  ['zerocost', benchZeroCost],
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !SECTIONS.some(([name]) => name === w));
  if (unknown.length > 0) {
    console.error(`bench: unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.map(([n]) => n).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  let failed = 0;
  for (const [name, run] of SECTIONS) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const t0 = Date.now();
    try {
      await run();
      console.log(`\n[bench] ${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed++;
      console.error(`\n[bench] ${name} failed:`, error);
    }
  }
  if (failed > 0) process.exitCode = 1;
}

void main();

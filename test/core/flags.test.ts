import { describe, expect, it } from 'vitest';
import { intFlag, parseCommandLine, parseFlags, progressDisplay } from '../../src/core/flags';

const spec = { command: 'demo', usage: 'usage: demo ...', known: ['out', 'shard'], bare: ['no-progress'] };

describe('command-line flags', () => {
  it('reads values, switches and positional arguments in order', () => {
    const { flags, positional } = parseCommandLine(['a.jsonl', '--out', 't.gz', '--no-progress', 'b.jsonl'], { ...spec, positional: true });
    expect(flags).toEqual({ out: 't.gz', 'no-progress': 'true' });
    expect(positional).toEqual(['a.jsonl', 'b.jsonl']);
    expect(parseFlags(['--shard', '2/3'], ['out', 'shard'], 'demo', 'usage')).toEqual({ shard: '2/3' });
  });

  it('names an unknown flag, a flag without its value and an unexpected argument, with the usage', () => {
    expect(() => parseCommandLine(['--colour', 'red'], spec)).toThrow(/demo: unknown option "--colour"; known: --out, --shard, --no-progress\nusage: demo/);
    expect(() => parseCommandLine(['--out'], spec)).toThrow(/option "--out" needs a value/);
    expect(() => parseCommandLine(['--out', '--shard', '1/2'], spec)).toThrow(/option "--out" needs a value/);
    expect(() => parseCommandLine(['stray'], spec)).toThrow(/demo: unexpected argument "stray"/);
  });

  it('reads integer flags, with a fallback, and names a bad one', () => {
    expect(intFlag({ limit: '5' }, 'limit', undefined, { min: 0 }, 'demo')).toBe(5);
    expect(intFlag({}, 'limit', 7, { min: 0 }, 'demo')).toBe(7);
    expect(() => intFlag({ limit: 'five' }, 'limit', 0, { min: 0 }, 'demo')).toThrow(/'--limit'.*integer/);
    expect(() => intFlag({ limit: '' }, 'limit', 0, { min: 0 }, 'demo')).toThrow(/'--limit'/);
    expect(() => intFlag({ limit: '-1' }, 'limit', 0, { min: 0 }, 'demo')).toThrow(/'--limit'/);
  });

  it('logs progress every few items and at the end when not on a terminal, and nothing when quiet', () => {
    const lines: string[] = [];
    const p = progressDisplay('demo', { unit: 'cells', every: 2, log: (s) => lines.push(s) });
    for (let i = 1; i <= 5; i++) p.update(i, 5);
    p.stop();
    if (process.stderr.isTTY) return; // a bar on a terminal, not lines
    expect(lines.map((l) => l.replace(/\(\d+ s\)/, ''))).toEqual(['  2/5 cells ', '  4/5 cells ', '  5/5 cells ']);
    const quiet: string[] = [];
    const q = progressDisplay('demo', { quiet: true, log: (s) => quiet.push(s) });
    q.update(50, 50);
    expect(quiet).toEqual([]);
  });
});

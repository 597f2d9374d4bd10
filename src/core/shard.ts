/**
 * Shards: splitting a list of jobs (a class's submissions, a benchmark's cells) over n machines as
 * `i/n`, 1-based, item k going to shard (k mod n) + 1. One definition, so every command that takes
 * `--shard` splits the same way and its shards can be merged.
 */
import { describe } from './checks';

export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

/**
 * Parse `i/n` with 1 <= i <= n.
 * @param name how the argument is called where it came from ('--shard')
 * @throws RangeError naming the argument otherwise
 * @example parseShard('2/4') // { index: 2, count: 4 }
 */
export function parseShard(text: unknown, name = 'shard', caller = 'parseShard'): ShardSpec {
  const m = typeof text === 'string' ? /^(\d+)\/(\d+)$/.exec(text.trim()) : null;
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new RangeError(`${caller}: '${name}' must be i/n with 1 <= i <= n (e.g. '1/4'), got ${describe(text)}`);
  }
  return { index, count };
}

/** Whether item `position` (0-based) of the list belongs to `shard`. */
export function inShard(position: number, shard: ShardSpec): boolean {
  return position % shard.count === shard.index - 1;
}

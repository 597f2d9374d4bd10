/**
 * The `--name value` flags of nasbook's precompute commands (`npm run latency`, `npm run zerocost`):
 * one parser, so every command rejects an unknown or valueless flag the same way, with its usage.
 */
import { describe } from './checks';

/**
 * Reads `--name value` pairs.
 * @param argv the arguments after the command
 * @param known the flag names the command takes (without dashes)
 * @param command the command's name, for messages
 * @param usage the usage line, appended to every error
 * @throws RangeError naming the first argument that is not a known flag followed by a value
 * @example parseFlags(['--out', 'a.jsonl'], ['out', 'shard'], 'zerocost', 'usage: ...') // { out: 'a.jsonl' }
 */
export function parseFlags(argv: readonly string[], known: readonly string[], command: string, usage: string): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '');
    if (!argv[i]?.startsWith('--') || !known.includes(name) || argv[i + 1] === undefined) {
      throw new RangeError(`${command}: unexpected argument ${describe(argv[i])}\n${usage}`);
    }
    flags[name] = argv[i + 1];
  }
  return flags;
}

/**
 * What Linux's /proc says about a process: its processor time, whether it is working or asleep,
 * its resident memory. The runner charges a student's calls by it, and the type check's limit
 * reads it; each reader returns null where /proc is not there (other systems), and the caller
 * falls back on the wall clock.
 */
import * as fs from 'node:fs';

/** Resident memory of a process in MiB (Linux), or null where /proc is not there. */
export function residentMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Processor time (user + system) a process has used, in seconds (Linux), or null where /proc is not there. */
export function cpuSeconds(pid: number): number | null {
  return procStat(pid)?.cpu ?? null;
}

/**
 * What /proc says a process is doing: its processor time so far, and whether it is asleep (waiting
 * on nothing it can do: 'S' or 'D'... a starved but runnable process is 'R', so load does not make
 * it look idle). Null where /proc is not there.
 */
export function procStat(pid: number): { cpu: number; sleeping: boolean; runnable: boolean } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): the state is the 1st, utime and stime the 12th and 13th.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { cpu: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS, sleeping: fields[0] === 'S', runnable: fields[0] === 'R' };
  } catch {
    return null;
  }
}
/** Linux's USER_HZ, the unit of /proc's times: 100 on every mainstream architecture. */
const CLOCK_TICKS = 100;

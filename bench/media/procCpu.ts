/** CPU time of a process or one of its threads from /proc (Linux), in milliseconds. */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function ticks(statPath: string): number {
  // fields after "(comm) ": state is #3; utime #14 and stime #15 (1-based over the whole line)
  const after = readFileSync(statPath, 'utf8').split(') ').pop()!.split(' ');
  return Number(after[11]) + Number(after[12]);
}

export function processCpuMs(pid: number): number {
  return ticks(`/proc/${pid}/stat`) * TICK_MS;
}

export function threadCpuMs(pid: number, tid: number): number {
  return ticks(`/proc/${pid}/task/${tid}/stat`) * TICK_MS;
}

/** The id of a process's thread by its name (Node names a worker thread after its `name` option). */
export function threadByName(pid: number, name: string): number | undefined {
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    if (readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim() === name) return Number(tid);
  }
  return undefined;
}

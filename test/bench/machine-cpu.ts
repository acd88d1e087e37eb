import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { loadConfig, repositoryRoot, runningPid } from '@terrapulse/infra-runner';

/** Clock ticks per second of /proc's CPU counters (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;
/** Where the native runner keeps its pid files, as the runner itself names them. */
const { pidFile } = loadConfig(process.env, repositoryRoot).paths;

/**
 * CPU seconds used so far by each server the native runner started (Mosquitto, Kafka, InfluxDB,
 * Redis), from /proc/<pid>/stat (utime + stime). Servers not running are left out.
 */
export function serverCpuSeconds(): Map<string, number> {
  const seconds = new Map<string, number>();
  for (const file of readdirSync(dirname(pidFile('any'))).filter((f) => f.endsWith('.pid'))) {
    const server = basename(file, '.pid');
    const pid = runningPid(pidFile(server));
    const used = pid === undefined ? undefined : processCpuSeconds(String(pid));
    if (used !== undefined) seconds.set(server, used);
  }
  return seconds;
}

/**
 * CPU seconds used so far by the threads of a runner-started server whose name matches `thread`
 * (Linux caps thread names at 15 characters, e.g. `C2 CompilerThre`), or undefined when the
 * server is not running.
 */
export function serverThreadCpuSeconds(server: string, thread: RegExp): number | undefined {
  const pid = runningPid(pidFile(server));
  if (pid === undefined) return undefined;
  let seconds = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const comm = readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
      if (thread.test(comm)) seconds += processCpuSeconds(`${pid}/task/${task}`) ?? 0;
    }
  } catch {
    return undefined;
  }
  return seconds;
}

function processCpuSeconds(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may contain spaces, start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS_PER_S, total: total / TICKS_PER_S };
}

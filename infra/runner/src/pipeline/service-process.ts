import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServiceProcessSpec {
  /** Name in logs and status, e.g. `validator-1`. */
  readonly name: string;
  readonly script: string;
  /** Node.js flags, before the script. */
  readonly nodeArgs?: readonly string[];
  readonly args?: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
  /** Where its /healthz and /metrics answer. */
  readonly opsUrl?: string;
}

export interface ServiceProcess {
  readonly spec: ServiceProcessSpec;
  readonly child: ChildProcess;
  exited(): boolean;
  /** Resolves with the exit code once the process is gone. */
  readonly exit: Promise<number | null>;
}

/** Starts a Node service as a child of the orchestrator, its output appended to its log file. */
export function startServiceProcess(spec: ServiceProcessSpec): ServiceProcess {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const out = openSync(spec.logFile, 'a');
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), spec.script, ...(spec.args ?? [])], {
    env: spec.env,
    stdio: ['ignore', out, out],
  });
  let done = false;
  const exit = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      done = true;
      resolve(code);
    });
  });
  return { spec, child, exit, exited: () => done };
}

/** SIGTERM, then SIGKILL after the grace period: services commit what is durable on SIGTERM. */
export async function stopServiceProcess(p: ServiceProcess, graceMs = 20_000): Promise<void> {
  if (p.exited()) return;
  p.child.kill('SIGTERM');
  const killed = await Promise.race([p.exit.then(() => false), sleep(graceMs).then(() => true)]);
  if (killed && !p.exited()) {
    p.child.kill('SIGKILL');
    await p.exit;
  }
}

/** Polls /healthz until it answers 200, the process exits, or the deadline passes. */
export async function waitHealthy(p: ServiceProcess, timeoutMs: number): Promise<boolean> {
  if (!p.spec.opsUrl) return true;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !p.exited()) {
    try {
      const response = await fetch(`${p.spec.opsUrl}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (response.status === 200) return true;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  return false;
}

/** The /metrics body of a service, or undefined when it does not answer. */
export async function scrapeMetrics(p: ServiceProcess): Promise<string | undefined> {
  if (!p.spec.opsUrl || p.exited()) return undefined;
  try {
    const response = await fetch(`${p.spec.opsUrl}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

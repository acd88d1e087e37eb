/** What `status` reports for one server. */
export interface ServerStatus {
  readonly name: string;
  readonly port: number;
  readonly pid: number | undefined;
  readonly healthy: boolean;
  readonly version: string | undefined;
  readonly detail: string;
  readonly logFile: string;
}

/**
 * One server the native runner manages as a local process. Each adapter owns
 * its installation, configuration and readiness probe; the orchestration in
 * infra.ts is the same for all of them.
 */
export interface NativeServer {
  readonly name: string;
  readonly port: number;
  /** The environment variable that overrides the port, named in errors. */
  readonly portVariable: string;
  readonly logFile: string;
  readonly pidFile: string;
  /** Installs or builds what is missing; a no-op when everything is there. */
  install(): Promise<void>;
  /** Writes configuration and spawns the process; returns its pid. */
  start(): Promise<number>;
  /** True when the server answers a real request with our credentials. */
  ready(): Promise<boolean>;
  /** Idempotent setup once ready: users, databases, topics. */
  bootstrap(): Promise<void>;
  /** The running server's version, asked of the server when possible. */
  version(): Promise<string | undefined>;
  /** Graceful stop budget before SIGKILL. */
  readonly stopGraceMs: number;
}

export type Logger = (message: string) => void;

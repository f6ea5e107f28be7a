import autocannon from "autocannon";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";

/*
 * Helpers shared by the benchmarks: child processes (the real server, the seed
 * CLI) with hard timeouts and clean stops, autocannon runs that keep every
 * latency (for exact p50/p95/p99), medians and tables. No timings here are
 * assertions: the benchmarks print and record them.
 */

export const root = resolve(import.meta.dirname, "..");

/** `--key=value` and `--flag` arguments. */
export function parseArgs(argv = process.argv.slice(2)): Map<string, string> {
  return new Map(
    argv.map((a) => {
      const [k, ...v] = a.replace(/^--/, "").split("=");
      return [k ?? "", v.length ? v.join("=") : "true"] as const;
    }),
  );
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

// ---------------------------------------------------------------- child processes

export type Child = {
  name: string;
  proc: ChildProcess;
  output: string[];
  exit: Promise<number | null>;
  /** Highest resident memory seen (VmHWM, MB), sampled each second. */
  peakMemoryMB: () => number;
};
const children = new Set<Child>();

/** Runs a TypeScript entry point with `node --import tsx` (SIGINT reaches it directly). */
export function spawnChild(
  name: string,
  script: string,
  env: Record<string, string>,
  args: string[] = [],
  options: { echo?: boolean } = {},
): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so a stuck one can be killed with everything it started
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    if (options.echo) process.stdout.write(text.replace(/^(?=.)/gm, "    "));
    output.push(text);
    if (output.length > 400) output.shift();
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${proc.pid}/status`, "utf8");
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kb / 1024);
    } catch {
      /* gone, or not Linux */
    }
  }, 1000);
  const exit = new Promise<number | null>((done) =>
    proc.on("exit", (code) => {
      clearInterval(sampler);
      done(code);
    }),
  );
  const child: Child = { name, proc, output, exit, peakMemoryMB: () => Math.round(peak) };
  children.add(child);
  void exit.then(() => children.delete(child));
  return child;
}

/** SIGINT (a clean shutdown), then SIGKILL to the group if it does not exit in time. */
export async function stopChild(child: Child, timeoutMs = 15_000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill("SIGINT");
  const exited = await Promise.race([
    child.exit.then(() => true),
    sleep(timeoutMs).then(() => false),
  ]);
  if (!exited) {
    console.warn(`  ${child.name} did not stop within ${timeoutMs / 1000} s; killing it`);
    try {
      if (child.proc.pid) process.kill(-child.proc.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
    await Promise.race([child.exit, sleep(5_000)]);
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c)));
}

/** Waits for a child to exit on its own, killing it after `timeoutMs`. */
export async function waitExit(child: Child, timeoutMs: number): Promise<number | null> {
  const code = await Promise.race([child.exit, sleep(timeoutMs).then(() => "timeout" as const)]);
  if (code === "timeout") {
    await stopChild(child, 5_000);
    throw new Error(
      `${child.name} took longer than ${timeoutMs / 1000} s:\n${child.output.join("")}`,
    );
  }
  return code;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => done(port));
    });
  });
}

export async function waitFor(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) {
      throw new Error(`${child.name} exited (${child.proc.exitCode}):\n${child.output.join("")}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  throw new Error(
    `${child.name} did not answer ${url} within ${timeoutMs / 1000} s:\n${child.output.join("")}`,
  );
}

// ---------------------------------------------------------------- the server as production runs it

/** Fixed keys for benchmark databases (a prepared database is reused across runs). Never for real data. */
export function benchFieldKeys(): { DATA_ENCRYPTION_KEYS: string; DATA_INDEX_KEY: string } {
  const derive = (label: string) =>
    createHash("sha256").update(`kaveret-benchmark-only:${label}`).digest("base64");
  return {
    DATA_ENCRYPTION_KEYS: `bench:${derive("fields")}`,
    DATA_INDEX_KEY: derive("index"),
  };
}

export const BENCH_DEMO_PASSWORD = "bench-password-long-enough";

/** Environment of the real server in production mode (and of the seed CLI, so the keys match). */
export function productionEnv(base: string, port: number): Record<string, string> {
  return {
    PORT: String(port),
    HOST: "127.0.0.1",
    // As production runs: no development routes, no response re-validation, actor cache on.
    NODE_ENV: "production",
    PUBLIC_URL: base,
    AUTH_SECRET: "bench-auth-secret-0123456789abcdef-0123456789",
    ...benchFieldKeys(),
    LOG_LEVEL: "warn",
    DEMO_PASSWORD: BENCH_DEMO_PASSWORD,
    SERVE_WEB: "false",
    // The limiter stays on (as in production) but high enough not to refuse the load.
    RATE_LIMIT_PER_MINUTE: "100000000",
    SIGNIN_RATE_LIMIT_PER_MINUTE: "1000",
  };
}

// ---------------------------------------------------------------- HTTP

export async function http(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
  timeoutMs = 60_000,
): Promise<{ res: Response; json: unknown; bytes: number }> {
  const res = await fetch(base + path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return {
    res,
    json: (text ? JSON.parse(text) : null) as unknown,
    bytes: Buffer.byteLength(text),
  };
}

/** Signs in with e-mail and password; the session cookie header. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const { res } = await http(
    base,
    "POST",
    "/api/auth/sign-in/email",
    { origin: base },
    {
      email,
      password,
    },
  );
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (!cookie) throw new Error(`sign-in of ${email} returned no session cookie`);
  return cookie;
}

// ---------------------------------------------------------------- load

export type Measured = {
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  total: number;
  /** Mean response body size, bytes. */
  meanBytes: number;
  non2xx: number;
  s5xx: number;
  errors: number;
  timeouts: number;
};

export type LoadOptions = {
  base: string;
  /** Paths are requested in turn (a mix of queries). */
  paths: string[];
  headers: Record<string, string>;
  duration: number;
  connections: number;
};

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** One autocannon run with a hard timeout, keeping every latency for exact percentiles. */
export function load(o: LoadOptions): Promise<Measured> {
  return new Promise((done, fail) => {
    let settled = false;
    const latencies: number[] = [];
    let bytes = 0;
    const instance = autocannon(
      {
        url: o.base,
        connections: o.connections,
        duration: o.duration,
        timeout: 30,
        requests: o.paths.map((path) => ({ method: "GET" as const, path, headers: o.headers })),
      },
      (err: unknown, result: autocannon.Result) => {
        clearTimeout(stopTimer);
        clearTimeout(failTimer);
        if (settled) return;
        settled = true;
        if (err) return fail(err instanceof Error ? err : new Error(String(err)));
        latencies.sort((a, b) => a - b);
        const ms = (x: number) => Math.round(x * 10) / 10;
        done({
          reqPerSec: result.requests.average,
          p50: ms(percentile(latencies, 50)),
          p95: ms(percentile(latencies, 95)),
          p99: ms(percentile(latencies, 99)),
          total: latencies.length,
          meanBytes: latencies.length ? Math.round(bytes / latencies.length) : 0,
          non2xx: result.non2xx,
          s5xx: result["5xx"],
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    instance.on("response", (_client, _status, resBytes, responseTime) => {
      latencies.push(responseTime);
      bytes += resBytes;
    });
    const stopTimer = setTimeout(() => instance.stop(), (o.duration + 30) * 1000);
    const failTimer = setTimeout(
      () => {
        if (settled) return;
        settled = true;
        fail(new Error(`autocannon did not finish ${o.paths[0]}`));
      },
      (o.duration + 60) * 1000,
    );
  });
}

// ---------------------------------------------------------------- output

export function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length))) ?? [];
  const line = (r: string[]) =>
    r.map((c, i) => c + " ".repeat((widths[i] ?? 0) - [...c].length)).join("  ");
  return [
    line(rows[0] ?? []),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.slice(1).map(line),
  ].join("\n");
}

export function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: root,
      stdio: ["ignore", "pipe", "ignore"],
    })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** Size of a directory in MB (du), or null. */
export function directoryMB(dir: string): number | null {
  try {
    const out = execFileSync("du", ["-sk", dir], {
      stdio: ["ignore", "pipe", "ignore"],
    }).toString();
    return Math.round(Number(out.split(/\s/)[0]) / 1024);
  } catch {
    return null;
  }
}

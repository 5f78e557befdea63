// What the benchmarks share: a PostgreSQL server (BENCH_DATABASE_URL, or a throwaway cluster from the
// installed server binaries, removed afterwards), the operator's CLI, a process's CPU time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const script = path.join(root, 'scripts/throwaway-pg.sh');
const CLK_TCK = 100;

/** User + system CPU seconds of a process, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Runs `mpid …` with JSON on standard input; its JSON answer. */
export function mpid(env: NodeJS.ProcessEnv, args: string[], input: unknown): Record<string, string> {
  const r = spawnSync(process.execPath, ['src/idp/cli/main.ts', ...args], { cwd: root, env, input: JSON.stringify(input), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mpid ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, string>;
}

export async function withBenchPostgres(what: string, fn: (url: string, clusterDir?: string) => Promise<void>): Promise<void> {
  let url = process.env.BENCH_DATABASE_URL;
  let clusterDir: string | undefined;
  if (!url) {
    clusterDir = mkdtempSync(path.join(os.tmpdir(), 'mpid-bench-pg-'));
    const started = spawnSync('bash', [script, 'start', clusterDir], { encoding: 'utf8' });
    if (started.status === 0) url = started.stdout.trim();
    else console.log(`${what} skipped: no PostgreSQL server binaries (set BENCH_DATABASE_URL)`);
  }
  try {
    if (url) await fn(url, clusterDir);
  } finally {
    if (clusterDir) spawnSync('bash', [script, 'stop', clusterDir], { stdio: 'inherit' });
  }
}

// Summarises V8 CPU profiles (node --cpu-prof): self time by function and by package or source folder.
//   node bench/profile_summary.ts DIR_OR_FILE… [--top 30] [--last-ms 5000 --skip-end-ms 6000: a window before the end, the measured run]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const args = process.argv.slice(2);
const topIdx = args.indexOf('--top');
const top = topIdx >= 0 ? Number(args.splice(topIdx, 2)[1]) : 30;
const lastIdx = args.indexOf('--last-ms');
const lastMs = lastIdx >= 0 ? Number(args.splice(lastIdx, 2)[1]) : Infinity;
const skipIdx = args.indexOf('--skip-end-ms');
const skipEndMs = skipIdx >= 0 ? Number(args.splice(skipIdx, 2)[1]) : 0;
const files = args.flatMap((a) => (statSync(a).isDirectory() ? readdirSync(a).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(a, f)) : [a]));

const byFn = new Map<string, number>();
const inclusive = new Map<string, number>();
const byArea = new Map<string, number>();
let total = 0;
const area = (url: string, fn: string) => {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return url.split('/')[0]!;
  const src = url.match(/\/(src\/.+)\/[^/]+$/);
  return src ? src[1]! : url;
};
for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  // only the samples of the last lastMs before the profile ended (the measured run, not the start-up)
  const at: number[] = [];
  p.timeDeltas.reduce((t, d, i) => (at[i] = t + d), p.startTime);
  const to = p.endTime - skipEndMs * 1000;
  const from = to - lastMs * 1000;
  p.samples.forEach((id, i) => {
    if (at[i]! >= from && at[i]! <= to) self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  for (const [id, us] of self) {
    const n = nodes.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*?(node_modules|src)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    const a = area(url, functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
    if (functionName !== '(idle)') total += us;
    // inclusive: every distinct function on the stack of these samples
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = nodes.get(at)!.callFrame;
      if (f.url.includes('/src/') || f.url.includes('oidc-provider/lib/actions') || f.url.includes('oidc-provider/lib/shared')) onStack.add(`${f.functionName || '(anonymous)'} ${f.url.replace(/^.*?(node_modules|src)\//, '$1/')}:${f.lineNumber + 1}`);
    }
    for (const k of onStack) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
}
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (share of non-idle samples)`);
  for (const [k, us] of [...m].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  }
};
console.log(`${files.length} profile(s), ${(total / 1000).toFixed(0)} ms busy`);
print('by package / source folder', byArea);
print('by function (self time)', byFn);
print('inclusive time of our code and oidc-provider actions (middleware include what they await synchronously)', inclusive);

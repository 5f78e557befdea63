// What can be checked of the deployment files without Docker: each image copies only its own service
// (every file its entry points import is in the image, nothing of the other service or the card agent,
// and every package they import is a production dependency), runs as a user other than root in the
// production zone; docker-compose.yml brings up the four containers from those targets; Prometheus'
// own promtool accepts the configuration and the alert rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(path.join(root, p), 'utf8');
const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

interface Stage {
  name: string;
  from: string;
  lines: string[];
}

function stages(dockerfile: string): Stage[] {
  const out: Stage[] = [];
  // continuation lines joined, comments dropped
  for (const line of dockerfile.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    const from = line.match(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i);
    if (from) out.push({ name: from[2] ?? '', from: from[1]!, lines: [] });
    else out.at(-1)?.lines.push(line);
  }
  return out;
}

/** The stage's lines with those of the stages it is built FROM. */
function chain(all: Stage[], name: string): string[] {
  const s = all.find((x) => x.name === name)!;
  const parent = all.find((x) => x.name === s.from);
  return [...(parent ? chain(all, parent.name) : []), ...s.lines];
}

/** Paths (relative to the repository) a stage copies from the build context. */
const copied = (lines: string[]) => lines.filter((l) => /^COPY\s/i.test(l) && !/--from=/.test(l)).flatMap((l) => l.split(/\s+/).slice(1, -1));

/** Every .ts file reached from `entry` by relative imports, and every package imported on the way. */
function importClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = read(file).replace(/^\s*\/\/.*$/gm, '');
    for (const m of source.matchAll(/(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|new URL\(\s*['"](\.[^'"]+\.ts)['"]/gm)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      if (spec.startsWith('.')) walk(path.relative(root, path.resolve(path.dirname(path.join(root, file)), spec)));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  walk(entry);
  return { files, packages };
}

const all = stages(read('Dockerfile'));

test('the Dockerfile: production dependencies only, the IdP by default, each service its own image as a user other than root', () => {
  assert.equal(all.at(-1)!.name, 'idp', 'the last stage (the default target) is the IdP');
  const deps = all.find((s) => s.name === 'deps')!;
  assert.ok(deps.lines.some((l) => /npm ci\b.*--omit=dev/.test(l)), 'npm ci --omit=dev');
  for (const name of ['idp', 'authencode']) {
    const lines = chain(all, name);
    assert.ok(lines.some((l) => /^ENV\b.*\bIDP_ZONE=production\b/.test(l)), `${name}: production zone by default`);
    const users = lines.filter((l) => /^USER\s/i.test(l));
    assert.ok(users.length && !/^USER\s+(root|0)\b/i.test(users.at(-1)!), `${name}: runs as ${users.at(-1)}`);
    for (const p of copied(lines)) assert.ok(existsSync(path.join(root, p)), `${name} copies ${p}, which exists`);
    assert.ok(!copied(lines).some((p) => p.startsWith('agent') || p.startsWith('test') || p === '.' || p.startsWith('data') || p.startsWith('certs')), `${name}: no agent, tests, data or keys`);
  }
  assert.ok(!copied(chain(all, 'idp')).some((p) => p.startsWith('src/authencode')), 'the IdP image has no Authen Code service');
  assert.ok(!copied(chain(all, 'authencode')).some((p) => p.startsWith('src/idp')), 'the Authen Code image has no IdP');
  const ignore = read('.dockerignore');
  assert.match(ignore, /^\*$/m, '.dockerignore sends only what it names');
  assert.doesNotMatch(ignore, /^!(agent|test|data|certs)/m);
});

test('every file the images run is in them, and every package they import is a production dependency', () => {
  const entries: Record<string, string[]> = { idp: ['src/idp/main.ts', 'src/idp/cli/main.ts', 'src/kernel/face_match/worker.ts'], authencode: ['src/authencode/main.ts', 'src/kernel/face_match/worker.ts'] };
  for (const [name, files] of Object.entries(entries)) {
    const inImage = copied(chain(all, name));
    const cmd = chain(all, name).filter((l) => /^CMD\s/.test(l)).at(-1)!;
    assert.ok(importClosure(files[0]!).files.size > 10, `${files[0]}: the walk follows its imports`);
    assert.ok(cmd.includes(files[0]!), `${name} runs ${files[0]}: ${cmd}`);
    for (const entry of files) {
      const { files: reached, packages } = importClosure(entry);
      for (const f of reached) assert.ok(inImage.some((p) => f === p || f.startsWith(`${p}/`)), `${name}: ${entry} imports ${f}, which the image does not copy`);
      for (const p of packages) {
        assert.ok(pkg.dependencies[p], `${name}: ${p} (imported from ${entry}'s closure) is ${pkg.devDependencies[p] ? 'a dev dependency' : 'not a dependency'}`);
      }
    }
  }
  assert.ok(existsSync(path.join(root, 'src/kernel/face_match/worker.ts')), 'the face matcher worker is where the walk looked');
});

test('docker-compose.yml: PostgreSQL, the IdP and the Authen Code service from their targets, and a Prometheus with the rules', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, { build?: { target?: string }; image?: string; volumes?: string[]; environment?: Record<string, string> }> };
  assert.deepEqual(Object.keys(compose.services).sort(), ['authencode', 'db', 'idp', 'prometheus']);
  assert.equal(compose.services.idp!.build?.target, 'idp');
  assert.equal(compose.services.authencode!.build?.target, 'authencode');
  assert.match(compose.services.db!.image!, /^postgres:/);
  assert.match(compose.services.prometheus!.image!, /^prom\/prometheus:/);
  for (const v of compose.services.prometheus!.volumes!.filter((v) => v.startsWith('./deploy/'))) assert.ok(existsSync(path.join(root, v.split(':')[0]!)), v);
  for (const name of ['idp', 'authencode']) {
    const env = compose.services[name]!.environment!;
    assert.equal(env.IDP_ZONE, 'production', `${name}: production zone`);
    assert.ok(env.METRICS_TOKEN, `${name}: metrics need the token`);
  }
  assert.equal(compose.services.idp!.environment!.METRICS_PORT, '9464');
  assert.equal(compose.services.authencode!.environment!.AUTHENCODE_METRICS_PORT, '9465');
  const scrape = parse(read('deploy/prometheus/prometheus.yml')) as { scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> };
  assert.deepEqual(scrape.scrape_configs.map((c) => `${c.job_name}=${c.static_configs[0]!.targets[0]}`), ['idp=idp:9464', 'authencode=authencode:9465']);
});

test('promtool accepts the Prometheus configuration and the alert rules', () => {
  const promtool = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';
  assert.ok(existsSync(promtool), `${promtool} is missing: apt-get install prometheus (.ci/run installs it)`);
  const rules = spawnSync(promtool, ['check', 'rules', path.join(root, 'deploy/prometheus/alerts.yml')], { encoding: 'utf8' });
  assert.equal(rules.status, 0, rules.stdout + rules.stderr);
  assert.match(rules.stdout, /SUCCESS: [1-9]\d* rules found/);
  for (const alert of ['HighErrorRate', 'HighLatency', 'SmsGatewayFailures', 'DatabaseDown']) assert.match(read('deploy/prometheus/alerts.yml'), new RegExp(`alert: ${alert}\\b`));

  // the paths the containers mount, pointed at this checkout
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mpid-promtool-'));
  writeFileSync(path.join(dir, 'token'), 'x'.repeat(43));
  const config = read('deploy/prometheus/prometheus.yml').replace('/etc/prometheus/alerts.yml', path.join(root, 'deploy/prometheus/alerts.yml')).replaceAll('/run/secrets/metrics_token', path.join(dir, 'token'));
  writeFileSync(path.join(dir, 'prometheus.yml'), config);
  const checked = spawnSync(promtool, ['check', 'config', path.join(dir, 'prometheus.yml')], { encoding: 'utf8' });
  assert.equal(checked.status, 0, checked.stdout + checked.stderr);
  assert.match(checked.stdout, /SUCCESS/);
});

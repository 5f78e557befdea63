// mpid as an operator meets it: help on every command and group (exit 0), the version, usage errors
// (exit 2, one line with a hint), failures on input (exit 1), and a few commands on a real database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dbTargets } from '../../helpers/db.ts';
import { testDirs } from '../../helpers/server.ts';
import { idpSection } from '../../../src/idp/cli/index.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const MPID = path.join(root, 'bin/mpid');
const IDP_ONLY = path.join(root, 'src/idp/cli/main.ts');

const mpid = (args: string[], o: { env?: NodeJS.ProcessEnv; input?: string; bin?: string } = {}) =>
  spawnSync(process.execPath, [o.bin ?? MPID, ...args], { env: o.env ?? { ...process.env, ...testDirs() }, input: o.input ?? '', encoding: 'utf8' });

const names = idpSection.commands.map((c) => c.name);
const groups = [...new Set(names.map((n) => n.split(' ')[0]!))];

test('mpid, mpid help and mpid --help print the overview of every command and exit 0', () => {
  const outputs = [[], ['help'], ['--help'], ['-h']].map((args) => {
    const r = mpid(args);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    return r.stdout;
  });
  for (const o of outputs) assert.equal(o, outputs[0]);
  for (const n of [...names, 'authencode migrate', 'authencode units import', 'authencode agent register', 'authencode client']) {
    assert.match(outputs[0]!, new RegExp(`^  ${n}\\b`, 'm'), n);
  }
  assert.match(outputs[0]!, /exit codes: 0 .*; 1 .*\n.*2 usage/);
});

test('mpid --version prints package.json\'s version', () => {
  const r = mpid(['--version']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
});

test('every group and every command answers --help with exit 0, without touching a database', () => {
  const dirs = testDirs();
  for (const g of groups) {
    const r = mpid([g, '--help'], { env: { ...process.env, ...dirs } });
    assert.equal(r.status, 0, `${g}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^usage: mpid ${g}`), g);
  }
  for (const n of names) {
    const r = mpid([...n.split(' '), '--help'], { env: { ...process.env, ...dirs } });
    assert.equal(r.status, 0, `${n}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^usage: mpid ${n}\\b`), n);
  }
  assert.equal(mpid(['help', 'keys', 'rotate']).stdout, mpid(['keys', 'rotate', '--help']).stdout, 'mpid help <command> is its --help');
  assert.equal(existsSync(dirs.DATA_DIR), false, 'help opened no database');
});

test('mpid units import --help is help, not a file name', () => {
  const r = mpid(['units', 'import', '--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^usage: mpid units import <file\.csv>/);
  assert.match(r.stdout, /hcode,name_th,name_en/);
});

test('usage errors exit 2 with one line on stderr and a hint to the help', () => {
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /^mpid: unknown command "frobnicate" \(see mpid --help\)$/],
    [['--frobnicate'], /^mpid: unknown option --frobnicate/],
    [['units'], /^mpid units: missing <command> \(see mpid units --help\)$/],
    [['units', 'export'], /^mpid units: unknown command "export"/],
    [['units', 'import'], /^mpid units import: missing <file\.csv> \(see mpid units import --help\)$/],
    [['personnel', 'import'], /^mpid personnel import: missing <file\.csv>/],
    [['units', 'service-point', '10699'], /^mpid units service-point: missing on\|off/],
    [['units', 'service-point', '10699', 'maybe'], /must be on or off/],
    [['migrate', 'now'], /unexpected argument "now"/],
    [['keys', 'rotate', '--later'], /unknown option '--later'.*\(see mpid keys rotate --help\)$/],
    [['population', 'generate', '--count', 'many'], /--count needs a positive whole number/],
    [['help', 'frobnicate'], /unknown command "frobnicate"/],
  ];
  for (const [args, message] of cases) {
    const r = mpid(args);
    assert.equal(r.status, 2, `mpid ${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr.trimEnd(), message);
  }
});

test('a command that fails on its input exits 1 with a one-line message', () => {
  const bad = mpid(['account', 'add'], { input: '{"pid": ' });
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, 'mpid: standard input is not valid JSON\n');
  const invalid = mpid(['evidence', 'revoke'], { input: '{"id": "twelve"}' });
  assert.equal(invalid.status, 1);
  assert.match(invalid.stderr, /^mpid: id: .*; operator: .*; reason: .*\n$/);
});

test('src/idp/cli/main.ts is mpid without the Authen Code service, and the IdP CLI imports nothing of it', () => {
  assert.equal(mpid(['--help'], { bin: IDP_ONLY }).status, 0);
  assert.doesNotMatch(mpid(['--help'], { bin: IDP_ONLY }).stdout, /authencode/);
  assert.equal(mpid(['authencode', 'migrate'], { bin: IDP_ONLY }).status, 2);
  const dir = path.join(root, 'src/idp/cli');
  for (const f of readdirSync(dir)) assert.doesNotMatch(readFileSync(path.join(dir, f), 'utf8'), /from '[./]*authencode\//, f);
});

const postgres = dbTargets().find((t) => t.name === 'postgres')!;
describe('mpid on PostgreSQL', () => {
  let env: NodeJS.ProcessEnv;
  let drop: () => Promise<void>;
  before(async () => {
    const made = await postgres.create();
    env = { ...process.env, ...testDirs(), DATABASE_URL: made.url! };
    drop = made.drop;
  });
  after(() => drop());

  test('migrate, then commands that read and write the database answer JSON', () => {
    const migrated = mpid(['migrate'], { env });
    assert.equal(migrated.status, 0, migrated.stderr);
    assert.ok(Array.isArray(JSON.parse(migrated.stdout).applied));
    const imported = mpid(['units', 'import', path.join(root, 'samples/units.csv')], { env });
    assert.equal(imported.status, 0, imported.stderr);
    assert.equal(JSON.parse(imported.stdout).imported, 4);
    const noReason = mpid(['units', 'service-point', '10699', 'on'], { env, input: '{"operator":"somchai","reason":""}' });
    assert.equal(noReason.status, 1);
    assert.match(noReason.stderr, /a reason is required/);
    const on = mpid(['units', 'service-point', '10699', 'on'], { env, input: '{"operator":"somchai","reason":"the digital ID counter opens"}' });
    assert.equal(on.status, 0, on.stderr);
    assert.deepEqual(JSON.parse(on.stdout), { hcode: '10699', service_point: true });
    const again = mpid(['units', 'service-point', '10699', 'on'], { env, input: '{"operator":"somchai","reason":"again"}' });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already a service point/);
    const listed = JSON.parse(mpid(['units', 'list', '--service-points'], { env }).stdout) as { items: Array<{ hcode: string; service_point: boolean }>; more: boolean };
    assert.deepEqual(listed.items.map((u) => [u.hcode, u.service_point]), [['10699', true]]);
    assert.equal(mpid(['units', 'list', '--page', '0'], { env }).status, 2);
    const audit = mpid(['audit', 'verify'], { env });
    assert.equal(audit.status, 0, audit.stderr);
    assert.equal(JSON.parse(audit.stdout).ok, true);
  });

  test('an operation refused on its input exits 1; a register file that cannot be read still exits 2', () => {
    const unknown = mpid(['units', 'service-point', '00000', 'off'], { env, input: '{"operator":"somchai","reason":"closed"}' });
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stderr, 'mpid: unknown unit 00000\n');
    const nobody = mpid(['evidence', 'list'], { env, input: '{"pid":"1234567890121"}' });
    assert.equal(nobody.status, 1);
    assert.equal(nobody.stderr, 'mpid: no account with this ID number\n');
    const unreadable = mpid(['units', 'import', '/no/such/units.csv'], { env });
    assert.equal(unreadable.status, 2);
    assert.match(unreadable.stderr, /^mpid: cannot read \/no\/such\/units\.csv/);
  });
});

// `npm run docs:config`: writes the README's configuration tables, between their marker comments,
// from the declarations in src/idp/config.ts and src/authencode/config.ts. A test fails when the
// README differs from what this would write, so edit the declarations, never the tables.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sharedVars, type Var, type Vars } from '../src/kernel/config.ts';
import { idpVars } from '../src/idp/config.ts';
import { authencodeVars } from '../src/authencode/config.ts';

export const README = path.resolve(import.meta.dirname, '../README.md');

const shared = new Set<string>(Object.keys(sharedVars));
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

function shownDefault(v: Var): string {
  if (v.shownDefault !== undefined) return v.shownDefault;
  return v.default === undefined ? '—' : `\`${v.default}\``;
}

function meaning(name: string, v: Var): string {
  const notes = [
    v.parse.accepts,
    v.required === 'production' && '**required in production**',
    v.zone === 'test' && 'test zone only',
    shared.has(name) && 'both services',
  ];
  return [v.doc, ...notes.filter(Boolean)].join('; ');
}

export function configTable(vars: Vars, only: (name: string) => boolean = () => true): string {
  const rows = Object.entries(vars)
    .filter(([name]) => only(name))
    .map(([name, v]) => `| \`${name}\` | ${cell(shownDefault(v))} | ${cell(meaning(name, v))} |`);
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The generated text of each marked block, by block name. */
export function configBlocks(): Record<string, string> {
  const acShared = Object.keys(authencodeVars.vars).filter((n) => shared.has(n));
  return {
    idp: configTable(idpVars.vars),
    authencode: [
      configTable(authencodeVars.vars, (n) => !shared.has(n)),
      '',
      `It also reads ${acShared.map((n) => `\`${n}\``).join(', ')}, as the IdP does (see Configuration).`,
    ].join('\n'),
  };
}

/** `readme` with every `<!-- config:NAME:start -->` … `<!-- config:NAME:end -->` block regenerated. */
export function renderConfigDocs(readme: string, blocks = configBlocks()): string {
  let out = readme;
  for (const [name, body] of Object.entries(blocks)) {
    const start = `<!-- config:${name}:start -->`;
    const end = `<!-- config:${name}:end -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} block`);
    const note = `<!-- generated from the declarations by npm run docs:config: edit those, not this table -->`;
    out = `${out.slice(0, from + start.length)}\n${note}\n${body}\n${out.slice(to)}`;
  }
  return out;
}

if (import.meta.main) {
  const before = readFileSync(README, 'utf8');
  const after = renderConfigDocs(before);
  if (after !== before) writeFileSync(README, after);
  console.log(after === before ? 'README.md is up to date' : 'README.md configuration tables rewritten');
}

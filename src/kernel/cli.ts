// A command table for an operator's command line (node:util.parseArgs underneath): every command and
// group answers --help, usage errors exit 2 with a one-line hint, failures exit 1 with a one-line
// message. Commands read JSON on standard input (readJsonStdin) and print JSON (printJson).
import { parseArgs } from 'node:util';
import { text } from 'node:stream/consumers';
import { ZodError } from 'zod';

export interface Argument {
  /** Shown as <name>, or as given when it is a choice list such as "on|off". */
  name: string;
  description: string;
  choices?: string[];
}

export interface Option {
  type: 'string' | 'boolean';
  description: string;
  /** The value's placeholder in help, e.g. "N". */
  value?: string;
}

export interface Command {
  /** Words after the program name, e.g. "units import". */
  name: string;
  summary: string;
  /** Longer help text (after the summary). */
  details?: string;
  /** Required positional arguments, in order. */
  args?: Argument[];
  options?: Record<string, Option>;
  /** What the command reads as JSON on standard input. */
  stdin?: string;
  run(args: string[], options: Record<string, string | boolean | undefined>): Promise<void> | void;
}

export interface Section {
  /** A heading above its commands in the overview (the first section has none). */
  title?: string;
  /** A group of commands this section is the whole of (its title is the group's help). */
  group?: string;
  commands: Command[];
}

export interface Program {
  name: string;
  version: string;
  summary: string;
  sections: Section[];
  /** The exit code for an error a command threw, when it is not 1. */
  exitCodeFor?(err: unknown): number | undefined;
}

/** A mistake on the command line: exit 2 with a hint to the command's help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export async function readJsonStdin(): Promise<unknown> {
  if (process.stdin.isTTY) throw new UsageError('expected JSON on standard input');
  const raw = await text(process.stdin);
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error('standard input is not valid JSON');
  }
}

export const printJson = (v: unknown): void => {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
};

const synopsis = (c: Command) => [c.name, ...(c.args ?? []).map((a) => (a.choices ? a.choices.join('|') : `<${a.name}>`))].join(' ');
const optionLabel = (name: string, o: Option) => `--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;

function table(rows: [string, string][], indent = '  '): string {
  const width = Math.min(30, Math.max(...rows.map(([l]) => l.length)) + 2);
  return rows.map(([l, r]) => (l.length + 2 > width ? `${indent}${l}\n${indent}${' '.repeat(width)}${r}` : `${indent}${l.padEnd(width)}${r}`)).join('\n');
}

const withOptions = (c: Command) => `${synopsis(c)}${Object.entries(c.options ?? {}).map(([n, o]) => ` [${optionLabel(n, o)}]`).join('')}`;
const commandRows = (cs: Command[], prefix = '') => cs.map((c): [string, string] => [withOptions(c).slice(prefix.length), c.summary]);

function overview(p: Program): string {
  const body = p.sections.map((s, i) => `${s.title ?? (i === 0 ? 'commands:' : '')}\n${table(commandRows(s.commands))}`).join('\n\n');
  return `${p.name} ${p.version}: ${p.summary}

usage: ${p.name} <command> [arguments] [options]
       ${p.name} <command> --help     what one command (or group) does, reads and prints
       ${p.name} --version

${body}

${EXIT_CODES(p.name)}
`;
}

const EXIT_CODES = (name: string) => `exit codes: 0 done; 1 the command failed on its input or in its work (the message says why);
            2 usage error (unknown command or option, missing argument; see ${name} <command> --help)`;

function commandHelp(p: Program, c: Command): string {
  const opts: [string, string][] = [...Object.entries(c.options ?? {}).map(([n, o]): [string, string] => [optionLabel(n, o), o.description]), ['-h, --help', 'show this help']];
  const parts = [`usage: ${p.name} ${synopsis(c)}${c.options ? ' [options]' : ''}`, `${c.summary}${c.details ? `\n${c.details}` : ''}`];
  if (c.args?.length) parts.push(`arguments:\n${table(c.args.map((a) => [a.choices ? a.choices.join('|') : `<${a.name}>`, a.description]))}`);
  parts.push(`options:\n${table(opts)}`);
  if (c.stdin) parts.push(`standard input: JSON ${c.stdin}`);
  return `${parts.join('\n\n')}\n`;
}

function groupHelp(p: Program, group: string, cs: Command[]): string {
  const title = p.sections.find((s) => s.group === group)?.title;
  return `usage: ${p.name} ${group} <command> [arguments] [options]
${title ? `\n${title}\n` : ''}
commands:
${table(commandRows(cs, `${group} `))}

Run "${p.name} ${group} <command> --help" for one command's details.
`;
}

type Target = { command: Command; rest: string[] } | { group: string; members: Command[]; rest: string[] };

/** The command (or group) the leading words name: the longest match wins. */
function resolve(p: Program, words: string[]): Target | undefined {
  const all = p.sections.flatMap((s) => s.commands);
  const leading = words.findIndex((w) => w.startsWith('-'));
  const n = leading < 0 ? words.length : leading;
  for (let k = n; k > 0; k--) {
    const name = words.slice(0, k).join(' ');
    const command = all.find((c) => c.name === name);
    if (command) return { command, rest: words.slice(k) };
    const members = all.filter((c) => c.name.startsWith(`${name} `));
    if (members.length) return { group: name, members, rest: words.slice(k) };
  }
  return undefined;
}

const isHelp = (w: string) => w === '--help' || w === '-h';

function parse(c: Command, rest: string[]): { args: string[]; options: Record<string, string | boolean | undefined> } {
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: Object.fromEntries(Object.entries(c.options ?? {}).map(([n, o]) => [n, { type: o.type }])), allowPositionals: true, strict: true });
  } catch (err) {
    const message = (err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1));
  }
  const expected = c.args ?? [];
  const args = parsed.positionals;
  const missing = expected[args.length];
  if (missing) throw new UsageError(`missing ${missing.choices ? missing.choices.join('|') : `<${missing.name}>`}`);
  if (args.length > expected.length) throw new UsageError(`unexpected argument "${args[expected.length]}"`);
  expected.forEach((a, i) => {
    if (a.choices && !a.choices.includes(args[i]!)) throw new UsageError(`<${a.name}> must be ${a.choices.join(' or ')}, not "${args[i]}"`);
  });
  return { args, options: parsed.values as Record<string, string | boolean | undefined> };
}

function oneLine(err: unknown): string {
  if (err instanceof ZodError) return err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  return String((err as Error)?.message ?? err).split('\n').join('; ');
}

/** Runs the command argv names; sets process.exitCode (0, 1 or 2) rather than exiting. */
export async function runProgram(p: Program, argv: string[]): Promise<void> {
  const say = (s: string) => process.stdout.write(s);
  const usage = (where: string, message: string, hint: string) => {
    process.stderr.write(`${p.name}${where ? ` ${where}` : ''}: ${message} (see ${p.name} ${hint}--help)\n`);
    process.exitCode = 2;
  };
  const [first, ...others] = argv;
  if (first === undefined || isHelp(first) || (first === 'help' && others.length === 0)) return void say(overview(p));
  if (first === '--version') return void say(`${p.version}\n`);
  const helpFor = first === 'help';
  const words = helpFor ? others : argv;
  const target = resolve(p, words);
  if (!target) {
    if (words[0]!.startsWith('-')) return usage('', `unknown option ${words[0]}`, '');
    return usage('', `unknown command "${words.filter((w) => !w.startsWith('-')).join(' ')}"`, '');
  }
  const wantsHelp = helpFor || target.rest.some(isHelp);
  if ('group' in target) {
    if (wantsHelp) return void say(groupHelp(p, target.group, target.members));
    const next = target.rest.find((w) => !w.startsWith('-'));
    return usage(target.group, next === undefined ? 'missing <command>' : `unknown command "${next}"`, `${target.group} `);
  }
  const c = target.command;
  if (wantsHelp) return void say(commandHelp(p, c));
  try {
    const { args, options } = parse(c, target.rest);
    await c.run(args, options);
  } catch (err) {
    if (err instanceof UsageError) return usage(c.name, err.message, `${c.name} `);
    process.stderr.write(`${p.name}: ${oneLine(err)}\n`);
    process.exitCode = p.exitCodeFor?.(err) ?? 1;
  }
}

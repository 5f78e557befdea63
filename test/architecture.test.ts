// The architecture test: the import boundaries of docs/CONTRIBUTING.md, read from the source of every
// .ts file under src/, test/ and bench/. It must stay free of the database and of any import of src/,
// so that it reads the code as text and fails on a boundary crossed, whatever else is broken.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// Being removed by the issue-10 restructuring; must end empty. Exact `file -> target` strings; the test
// fails when one no longer occurs, so this list can only shrink.
const KNOWN_VIOLATIONS: string[] = [
];

type ImportKind = 'import' | 'import type' | 'export from' | 'dynamic import' | 'string path';
interface ImportRef {
  spec: string;
  line: number;
  kind: ImportKind;
}
interface Violation {
  file: string;
  line: number;
  target: string;
  rule: string;
}

/**
 * The source with comments, regular expressions and the text of every string and template literal
 * blanked (newlines kept, so offsets and lines still match), and the literals' text by offset.
 */
function lex(source: string): { code: string; strings: Array<{ text: string; at: number }> } {
  const out = source.split('');
  const strings: Array<{ text: string; at: number }> = [];
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  // after these a `/` starts a regular expression, not a division
  const regexAfter = /[(,=:[!&|?{};+\-*%<>~^]$|(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|yield|await|void|delete|new)$|^$/;
  let lastSignificant = '';
  let braceDepth: number[] = []; // template nesting: brace depth at each `${`
  let depth = 0;
  let i = 0;
  const n = source.length;
  const readTemplateText = (start: number): number => {
    // from just after ` or }, to the closing ` (returns index after it) or to a `${` (index after it)
    let j = start;
    let text = '';
    while (j < n) {
      const c = source[j];
      if (c === '\\') {
        text += source.slice(j, j + 2);
        j += 2;
        continue;
      }
      if (c === '`') {
        strings.push({ text, at: start });
        blank(start, j);
        return j + 1;
      }
      if (c === '$' && source[j + 1] === '{') {
        strings.push({ text, at: start });
        blank(start, j);
        braceDepth.push(depth);
        return j + 2;
      }
      text += c;
      j++;
    }
    blank(start, n);
    return n;
  };
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < n && source[j] !== c && source[j] !== '\n') {
        if (source[j] === '\\') {
          text += source[j + 1];
          j += 2;
        } else text += source[j++];
      }
      strings.push({ text, at: i });
      blank(i + 1, j);
      i = j + 1;
      lastSignificant = 'x';
      continue;
    }
    if (c === '`') {
      i = readTemplateText(i + 1);
      lastSignificant = 'x';
      continue;
    }
    if (c === '/' && regexAfter.test(lastSignificant)) {
      let j = i + 1;
      let inClass = false;
      while (j < n && source[j] !== '\n') {
        if (source[j] === '\\') j += 2;
        else if (source[j] === '[') (inClass = true), j++;
        else if (source[j] === ']') (inClass = false), j++;
        else if (source[j] === '/' && !inClass) break;
        else j++;
      }
      blank(i + 1, j);
      i = j + 1;
      lastSignificant = 'x';
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') {
      if (braceDepth.length && braceDepth[braceDepth.length - 1] === depth) {
        braceDepth.pop();
        i = readTemplateText(i + 1);
        lastSignificant = 'x';
        continue;
      }
      depth--;
    }
    if (!/\s/.test(c)) {
      lastSignificant = /[\w$]/.test(c) ? (/[\w$]$/.test(lastSignificant) ? lastSignificant + c : c).slice(-10) : c;
    }
    i++;
  }
  return { code: out.join(''), strings };
}

const lineAt = (source: string, at: number) => source.slice(0, at).split('\n').length;

/** The module specifiers a file imports or re-exports, and the string literals that name test/ or bench/ paths. */
function importsOf(source: string): ImportRef[] {
  const { code, strings } = lex(source);
  const refs: ImportRef[] = [];
  const specs = new Set<number>(); // offsets of the literals that are import specifiers
  const patterns: Array<[RegExp, (m: RegExpExecArray) => ImportKind]> = [
    [/(?<![\w$.])import\s+(type\s+)?(?:[\w$*{}\s,]*?\s*from\s*)?(['"])([^'"\n]*)\2/g, (m) => (m[1] ? 'import type' : 'import')],
    [/(?<![\w$.])export\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(['"])([^'"\n]*)\1/g, () => 'export from'],
    [/(?<![\w$.])import\s*\(\s*(['"])([^'"\n]*)\1/g, () => 'dynamic import'],
  ];
  for (const [pattern, kind] of patterns) {
    for (let m = pattern.exec(code); m; m = pattern.exec(code)) {
      const quote = m.index + m[0].length - m[m.length - 1].length - 2;
      const spec = strings.find((s) => s.at === quote)?.text ?? '';
      specs.add(quote);
      refs.push({ spec, line: lineAt(source, m.index), kind: kind(m) });
    }
  }
  for (const s of strings) {
    if (/(?:^|[/\\])(?:test|bench)[/\\]/.test(s.text) && !specs.has(s.at)) {
      refs.push({ spec: s.text, line: lineAt(source, s.at), kind: 'string path' });
    }
  }
  return refs.sort((a, b) => a.line - b.line);
}

const under = (file: string, folder: string) => file.startsWith(folder + '/');
const COMPOSITION_ROOTS = ['src/main.ts', 'src/cli.ts'];
const isService = (file: string) => under(file, 'src/idp') || under(file, 'src/authencode');
/** A view renders HTML: views.ts, a file in a views/ folder, or a service's page layout (web/layout.ts). */
const isView = (file: string) =>
  isService(file) &&
  (['views.ts', 'layout.ts'].includes(path.posix.basename(file)) || file.split('/').slice(0, -1).includes('views'));
const viewMayImport = (target: string) =>
  under(target, 'src/kernel/web') ||
  under(target, 'src/kernel/thai') ||
  target === 'src/kernel/http/i18n.ts' ||
  path.posix.basename(target) === 'messages.ts' ||
  isView(target);

const VIEW_RULE = 'views import only src/kernel/web, src/kernel/thai, src/kernel/http/i18n.ts, messages and other views';

/** Where a relative specifier points, as a repository path; undefined for a package. */
function resolve(file: string, spec: string): string | undefined {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
}

/** Every boundary crossed by the given files (repository path → source); `exists` says whether a path is a file. */
function violations(files: Record<string, string>, exists: (p: string) => boolean = (p) => Object.hasOwn(files, p)): Violation[] {
  const found: Violation[] = [];
  for (const [file, source] of Object.entries(files)) {
    const inSrc = under(file, 'src');
    const services = new Set<string>();
    for (const ref of importsOf(source)) {
      const flag = (target: string, rule: string) => found.push({ file, line: ref.line, target, rule });
      if (ref.kind === 'string path') {
        if (inSrc) flag(ref.spec, 'src must not reach into test/ or bench/');
        continue;
      }
      const target = resolve(file, ref.spec);
      if (target === undefined) {
        if (isView(file)) flag(ref.spec, VIEW_RULE);
        continue;
      }
      if (!exists(target)) {
        flag(target, 'relative import of a file that does not exist');
        continue;
      }
      if (under(file, 'agent') && !under(target, 'agent')) flag(target, 'the card reader agent is its own program: it imports only agent/');
      if (!inSrc) continue;
      if (under(target, 'test') || under(target, 'bench')) flag(target, 'src must not import test/ or bench/');
      if (under(target, 'agent')) flag(target, 'the services do not import the card reader agent (it runs on the counter PC)');
      if (under(file, 'src/kernel') && (isService(target) || COMPOSITION_ROOTS.includes(target)))
        flag(target, 'the kernel imports neither service');
      if (under(file, 'src/authencode') && under(target, 'src') && !under(target, 'src/kernel') && !under(target, 'src/authencode'))
        flag(target, 'the Authen Code service imports only src/kernel and itself');
      if (under(file, 'src/idp') && under(target, 'src/authencode')) flag(target, 'the IdP does not import the Authen Code service');
      if (isView(file) && !viewMayImport(target))
        flag(target, VIEW_RULE);
      if (under(target, 'src/idp')) services.add('idp');
      if (under(target, 'src/authencode')) services.add('authencode');
    }
    if (inSrc && services.size === 2 && !COMPOSITION_ROOTS.includes(file) && !isService(file) && !under(file, 'src/kernel'))
      found.push({ file, line: 1, target: 'src/idp + src/authencode', rule: 'only src/main.ts and src/cli.ts import both services' });
  }
  return found;
}

const key = (v: Violation) => `${v.file} -> ${v.target}`;
const describeViolation = (v: Violation) => `  ${v.file}:${v.line} -> ${v.target}   (${v.rule})`;

/** What is wrong, given the violations found and the known ones: empty when they agree. */
function verdict(found: Violation[], knownViolations: readonly string[]): string {
  const known = new Set(knownViolations);
  const occurring = new Set(found.map(key));
  const unexpected = found.filter((v) => !known.has(key(v)));
  const gone = knownViolations.filter((k) => !occurring.has(k));
  return [
    unexpected.length ? `imports across a boundary:\n${unexpected.map(describeViolation).join('\n')}` : '',
    gone.length ? `no longer occurring, remove from KNOWN_VIOLATIONS:\n${gone.map((k) => `  ${k}`).join('\n')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

const root = path.resolve(import.meta.dirname, '..');
function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true })
    .flatMap((e) => {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(rel);
      return e.name.endsWith('.ts') ? [rel] : [];
    })
    .sort();
}
const isFile = (p: string) => {
  try {
    return statSync(path.join(root, p)).isFile();
  } catch {
    return false;
  }
};

describe('the architecture of the repository', () => {
  test('no import crosses a boundary, apart from the known violations being removed', () => {
    const files: Record<string, string> = {};
    for (const dir of ['src', 'test', 'bench', 'agent']) for (const f of sources(dir)) files[f] = readFileSync(path.join(root, f), 'utf8');
    assert.ok(Object.keys(files).length > 100, 'the sources were found');
    const problems = verdict(violations(files, isFile), KNOWN_VIOLATIONS);
    assert.ok(problems === '', problems);
  });
});

describe('the rule engine', () => {
  const clean: Record<string, string> = {
    'src/kernel/db/index.ts': "import pg from 'pg';\nexport const db = 1;\n",
    'src/kernel/web/html.ts': 'export const html = 1;\n',
    'src/kernel/thai/pid.ts': 'export const pid = 1;\n',
    'src/kernel/http/i18n.ts': "export type Lang = 'th' | 'en';\n",
    'src/idp/web/layout.ts': "import { html } from '../../kernel/web/html.ts';\nexport const layout = html;\n",
    'src/idp/account/messages.ts': 'export const M = {};\n',
    'src/idp/account/views.ts': [
      "import { html } from '../../kernel/web/html.ts';",
      "import type { Lang } from '../../kernel/http/i18n.ts';",
      "import { M } from './messages.ts';",
      "import { layout } from '../web/layout.ts';",
      '',
    ].join('\n'),
    'src/idp/account/index.ts': [
      "import { db } from '../../kernel/db/index.ts';",
      "export { M } from './messages.ts';",
      '// a comment naming test/fixtures/units.csv is not a path',
      "const later = () => import('./views.ts');",
      'const zone = `test`; const r = /[\'"]/; const url = `/test-zone/sms/${zone}`;',
      '',
    ].join('\n'),
    'src/authencode/app.ts': "import { db } from '../kernel/db/index.ts';\nimport { pid } from '../kernel/thai/pid.ts';\n",
    'src/main.ts': "import './idp/account/index.ts';\nimport './authencode/app.ts';\n",
    'test/idp/account.test.ts': "import '../../src/idp/account/index.ts';\nimport '../../src/authencode/app.ts';\nimport '../helpers/db.ts';\n",
    'test/helpers/db.ts': "const fixture = 'test/fixtures/units.csv';\n",
    'bench/run.ts': "import '../src/main.ts';\n",
  };
  const flagged = (extra: Record<string, string>) => violations({ ...clean, ...extra }).map((v) => `${key(v)} | ${v.rule}`);

  test('a clean tree has no violations', () => {
    assert.deepEqual(violations(clean), []);
  });

  test('parses every kind of import and the string paths to test/', () => {
    const refs = importsOf(
      [
        "import a from './a.ts';",
        "import type { B } from './b.ts';",
        'import {',
        '  c,',
        '  type D,',
        "} from './c.ts';",
        "import './side_effect.ts';",
        "import * as e from './e.ts';",
        "export { f } from './f.ts';",
        "export * from './g.ts';",
        "export type { H } from './h.ts';",
        "const i = await import('./i.ts');",
        "const fixture = path.join(root, '../../test/fixtures/x.csv');",
        "// import j from './j.ts';",
        "/* import k from './k.ts'; */",
        "const l = `import m from './m.ts'`;",
        "const n = import.meta.dirname;",
      ].join('\n'),
    );
    assert.deepEqual(
      refs.map((r) => `${r.line} ${r.kind} ${r.spec}`),
      [
        '1 import ./a.ts',
        '2 import type ./b.ts',
        '3 import ./c.ts',
        '7 import ./side_effect.ts',
        '8 import ./e.ts',
        '9 export from ./f.ts',
        '10 export from ./g.ts',
        '11 export from ./h.ts',
        '12 dynamic import ./i.ts',
        '13 string path ../../test/fixtures/x.csv',
      ],
    );
  });

  test('the kernel imports neither service nor a composition root', () => {
    assert.deepEqual(
      flagged({
        'src/kernel/http/errors.ts': [
          "import { M } from '../../idp/account/messages.ts';",
          "import type { X } from '../../authencode/app.ts';",
          "const m = import('../../main.ts');",
          '',
        ].join('\n'),
      }),
      [
        'src/kernel/http/errors.ts -> src/idp/account/messages.ts | the kernel imports neither service',
        'src/kernel/http/errors.ts -> src/authencode/app.ts | the kernel imports neither service',
        'src/kernel/http/errors.ts -> src/main.ts | the kernel imports neither service',
      ],
    );
  });

  test('the Authen Code service imports only the kernel and itself', () => {
    assert.deepEqual(
      flagged({ 'src/authencode/visits.ts': "import type { Lang } from '../idp/account/index.ts';\nexport * from '../main.ts';\n" }),
      [
        'src/authencode/visits.ts -> src/idp/account/index.ts | the Authen Code service imports only src/kernel and itself',
        'src/authencode/visits.ts -> src/main.ts | the Authen Code service imports only src/kernel and itself',
      ],
    );
  });

  test('the IdP does not import the Authen Code service', () => {
    assert.deepEqual(flagged({ 'src/idp/cli/main.ts': "import { app } from '../../authencode/app.ts';\n" }), [
      'src/idp/cli/main.ts -> src/authencode/app.ts | the IdP does not import the Authen Code service',
    ]);
  });

  test('the card reader agent and the services import nothing of each other; tests may use both', () => {
    const agent = { 'agent/src/service.ts': "import './config.ts';\n", 'agent/src/config.ts': '' };
    assert.deepEqual(flagged({ ...agent, 'agent/src/main.ts': "import '../../src/kernel/thai/pid.ts';\nimport './service.ts';\n" }), [
      'agent/src/main.ts -> src/kernel/thai/pid.ts | the card reader agent is its own program: it imports only agent/',
    ]);
    assert.deepEqual(flagged({ ...agent, 'src/kernel/thai/pid.ts': "import '../../../agent/src/config.ts';\n" }), [
      'src/kernel/thai/pid.ts -> agent/src/config.ts | the services do not import the card reader agent (it runs on the counter PC)',
    ]);
    assert.deepEqual(flagged({ ...agent, 'test/agent/counter.test.ts': "import '../../agent/src/service.ts';\nimport '../../src/kernel/thai/pid.ts';\n" }), []);
  });

  test('src does not import or name test/ and bench/', () => {
    assert.deepEqual(
      flagged({
        'src/idp/units/index.ts': [
          "import { db } from '../../../test/helpers/db.ts';",
          "export const SAMPLE = new URL('../../../test/fixtures/units.sample.csv', import.meta.url);",
          'const other = `${root}/bench/run.ts`;',
          '',
        ].join('\n'),
      }),
      [
        'src/idp/units/index.ts -> test/helpers/db.ts | src must not import test/ or bench/',
        'src/idp/units/index.ts -> ../../../test/fixtures/units.sample.csv | src must not reach into test/ or bench/',
        'src/idp/units/index.ts -> /bench/run.ts | src must not reach into test/ or bench/',
      ],
    );
  });

  test('views import only web helpers, Thai helpers, the language type, messages and other views', () => {
    assert.deepEqual(
      flagged({
        'src/idp/login/views/second_factor.ts': [
          "import type { Factor } from '../../../kernel/db/index.ts';",
          "import { M } from '../../account/messages.ts';",
          "import { x } from '../../account/views.ts';",
          '',
        ].join('\n'),
        'src/authencode/staff/views.ts': "import { app } from '../app.ts';\nimport { pid } from '../../kernel/thai/pid.ts';\n",
      }),
      [
        'src/idp/login/views/second_factor.ts -> src/kernel/db/index.ts | views import only src/kernel/web, src/kernel/thai, src/kernel/http/i18n.ts, messages and other views',
        'src/authencode/staff/views.ts -> src/authencode/app.ts | views import only src/kernel/web, src/kernel/thai, src/kernel/http/i18n.ts, messages and other views',
      ],
    );
  });

  test('a relative import must name an existing file, in any tree', () => {
    assert.deepEqual(flagged({ 'test/kernel/x.test.ts': "import '../../src/kernel/db/gone.ts';\nimport 'node:test';\n" }), [
      'test/kernel/x.test.ts -> src/kernel/db/gone.ts | relative import of a file that does not exist',
    ]);
  });

  test('a view imports no package', () => {
    assert.deepEqual(flagged({ 'src/idp/admin/views.ts': "import QRCode from 'qrcode';\n" }), [`src/idp/admin/views.ts -> qrcode | ${VIEW_RULE}`]);
  });

  test('known violations are subtracted, and one that no longer occurs fails too', () => {
    const found = violations({ ...clean, 'src/idp/cli/main.ts': "import '../../authencode/app.ts';\n" });
    assert.equal(verdict(found, ['src/idp/cli/main.ts -> src/authencode/app.ts']), '');
    assert.match(verdict(found, []), /imports across a boundary:\n  src\/idp\/cli\/main.ts:1 -> src\/authencode\/app.ts/);
    assert.match(
      verdict(found, ['src/idp/cli/main.ts -> src/authencode/app.ts', 'src/kernel/lifecycle.ts -> src/idp/config.ts']),
      /^no longer occurring, remove from KNOWN_VIOLATIONS:\n  src\/kernel\/lifecycle.ts -> src\/idp\/config.ts$/,
    );
  });

  test('only the composition roots import both services', () => {
    assert.deepEqual(flagged({ 'src/launcher.ts': "import './idp/account/index.ts';\nimport './authencode/app.ts';\n" }), [
      'src/launcher.ts -> src/idp + src/authencode | only src/main.ts and src/cli.ts import both services',
    ]);
  });
});

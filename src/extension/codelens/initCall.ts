// Where a Python script starts a run: the first `runlog.init(` or `wandb.init(` call (aliases
// from `import runlog as rl` and `from runlog import init` included). Pure.

const MODULES = ['runlog', 'wandb'];

/** The 0-based line of the first init call, or undefined (cheap on files that have none). */
export function findInitCall(text: string): number | undefined {
  return locateInitCall(text)?.line;
}

/** The first init call's line and the offset of its `(` in `text`. */
function locateInitCall(text: string): { line: number; open: number } | undefined {
  if (!text.includes('init')) return undefined;
  const callers = new Set(MODULES.map((m) => `${m}\\.init`));
  for (const m of text.matchAll(/^\s*import\s+(runlog|wandb)\s+as\s+([A-Za-z_]\w*)/gm)) callers.add(`${m[2]}\\.init`);
  for (const m of text.matchAll(/^\s*from\s+(runlog|wandb)\s+import\s+[^#\n]*\binit\b(?:\s+as\s+([A-Za-z_]\w*))?/gm)) callers.add(m[2] ?? 'init');
  const call = new RegExp(`(?<![\\w.])(?:${[...callers].join('|')})\\s*\\(`);
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const hash = line.indexOf('#');
    const found = call.exec(hash >= 0 ? line.slice(0, hash) : line);
    if (found) return { line: i, open: offset + found.index + found[0].length - 1 };
    offset += line.length + 1;
  }
  return undefined;
}

/**
 * A keyword argument of the init call: its value when the source spells it as a string literal
 * (`project="mnist"`, `name='a' 'b'`), `computed` when it is any other expression.
 */
export type InitArgument = { readonly literal: string } | { readonly computed: true };

export interface InitCallArguments {
  /** 0-based line of the call. */
  readonly line: number;
  readonly keywords: ReadonlyMap<string, InitArgument>;
  /** The call passes `**mapping`: any keyword may be set where Runlog cannot see it. */
  readonly spread: boolean;
}

const OPEN = '([{';
const CLOSE = ')]}';

/**
 * The keyword arguments of the first init call, read from the source without running it:
 * strings (prefixes, triple quotes, escapes), comments and nested brackets are skipped over, so
 * `init(project="a,b)")` reads as one argument. Undefined when there is no call or it is not closed.
 */
export function readInitCall(text: string): InitCallArguments | undefined {
  const located = locateInitCall(text);
  if (!located) return undefined;
  const { line, open } = located;
  const args = splitArguments(text, open + 1);
  if (!args) return undefined;
  const keywords = new Map<string, InitArgument>();
  let spread = false;
  for (const arg of args) {
    if (arg.startsWith('**')) spread = true;
    const kw = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(arg);
    if (!kw) continue;
    const value = stringLiteral(kw[2]!);
    keywords.set(kw[1]!, value === undefined ? { computed: true } : { literal: value });
  }
  return { line, keywords, spread };
}

/** The top-level arguments of a call whose `(` ends just before `from`, trimmed; comments removed. */
function splitArguments(text: string, from: number): string[] | undefined {
  const args: string[] = [];
  let current = '';
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '#') {
      const end = text.indexOf('\n', i);
      if (end < 0) return undefined;
      i = end - 1;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      current += text.slice(i, end);
      i = end - 1;
      continue;
    }
    if (OPEN.includes(c)) depth++;
    if (CLOSE.includes(c)) {
      if (depth === 0) {
        if (current.trim()) args.push(current.trim());
        return args;
      }
      depth--;
    }
    if (c === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  return undefined;
}

/** The index just past the string literal whose opening quote is at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  const q = text[start]!;
  const triple = text.startsWith(q.repeat(3), start);
  const close = triple ? q.repeat(3) : q;
  for (let i = start + close.length; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (!triple && text[i] === '\n') return -1;
    if (text.startsWith(close, i)) return i + close.length;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '' };

/**
 * The value of an expression made only of string literals (adjacent ones concatenate, as in
 * Python), or undefined: f-strings, bytes, names, calls and `+` are computed by the script.
 */
function stringLiteral(expr: string): string | undefined {
  let rest = expr.trim();
  if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1).trim();
  let value = '';
  let parts = 0;
  while (rest) {
    const prefix = /^([rRuU]?)(["'])/.exec(rest);
    if (!prefix) return undefined;
    const start = prefix[1]!.length;
    const end = stringEnd(rest, start);
    if (end < 0) return undefined;
    const quote = rest.startsWith(prefix[2]!.repeat(3), start) ? 3 : 1;
    const body = rest.slice(start + quote, end - quote);
    value += /r/i.test(prefix[1]!) ? body : body.replace(/\\(.)/gs, (m, c: string) => ESCAPES[c] ?? m);
    parts++;
    rest = rest.slice(end).trim();
  }
  return parts > 0 ? value : undefined;
}

// Script arguments typed into a prompt, split the way a POSIX shell would split words, but
// without a shell: quotes group, a backslash escapes, nothing is expanded or executed.

export type SplitResult = { readonly ok: true; readonly args: string[] } | { readonly ok: false; readonly error: string };

export function splitArgs(text: string): SplitResult {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) current += text[++i];
      else current += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 < text.length) current += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) return { ok: false, error: `The ${quote === '"' ? 'double' : 'single'} quote is not closed.` };
  if (inWord) args.push(current);
  return { ok: true, args };
}

/** The reverse, for showing an argument vector to a person (never run through a shell). */
export function quoteArgs(args: readonly string[]): string {
  return args.map((a) => (a !== '' && /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

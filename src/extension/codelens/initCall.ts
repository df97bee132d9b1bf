// Where a Python script starts a run: the first `runlog.init(` or `wandb.init(` call (aliases
// from `import runlog as rl` and `from runlog import init` included). Pure.

const MODULES = ['runlog', 'wandb'];

/** The 0-based line of the first init call, or undefined (cheap on files that have none). */
export function findInitCall(text: string): number | undefined {
  if (!text.includes('init')) return undefined;
  const callers = new Set(MODULES.map((m) => `${m}\\.init`));
  for (const m of text.matchAll(/^\s*import\s+(runlog|wandb)\s+as\s+([A-Za-z_]\w*)/gm)) callers.add(`${m[2]}\\.init`);
  for (const m of text.matchAll(/^\s*from\s+(runlog|wandb)\s+import\s+[^#\n]*\binit\b(?:\s+as\s+([A-Za-z_]\w*))?/gm)) callers.add(m[2] ?? 'init');
  const call = new RegExp(`(?<![\\w.])(?:${[...callers].join('|')})\\s*\\(`);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const hash = line.indexOf('#');
    const code = hash >= 0 ? line.slice(0, hash) : line;
    if (call.test(code)) return i;
  }
  return undefined;
}

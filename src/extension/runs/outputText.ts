// Turning a process's raw output into what the task terminal and the Output channel show.

// CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks) and lone escapes.
// eslint-disable-next-line no-control-regex
const ANSI_RE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_RE, '');
}

/** A pseudoterminal moves down on `\n` without going back to column 0: it needs `\r\n`. */
export function toTerminalNewlines(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/**
 * Cuts a stream into whole lines for the Output channel, which cannot rewrite a line:
 * colours are stripped, and a carriage return (progress bars) replaces the line being built.
 * A line longer than `maxLine` is emitted in pieces so a stream without newlines cannot grow memory.
 */
export class LineAssembler {
  private partial = '';

  constructor(private readonly maxLine = 16 * 1024) {}

  /** The whole lines completed by `chunk`, without their newline. */
  push(chunk: string): string[] {
    const lines: string[] = [];
    const text = stripAnsi(this.partial + chunk);
    this.partial = '';
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) {
        lines.push(lastSegment(text.slice(start, i)));
        start = i + 1;
      }
    }
    let rest = text.slice(start);
    if (rest.length > this.maxLine) {
      const cr = rest.lastIndexOf('\r');
      rest = cr >= 0 ? rest.slice(cr + 1) : rest;
      while (rest.length > this.maxLine) {
        lines.push(rest.slice(0, this.maxLine));
        rest = rest.slice(this.maxLine);
      }
    }
    this.partial = rest;
    return lines;
  }

  /** What is left when the stream ends. */
  flush(): string[] {
    const rest = lastSegment(stripAnsi(this.partial));
    this.partial = '';
    return rest ? [rest] : [];
  }
}

/** `a\rb` shows `b`: what a terminal would leave on the line. A final `\r` (from `\r\n`) is ignored. */
function lastSegment(line: string): string {
  const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
  const cr = trimmed.lastIndexOf('\r');
  return cr >= 0 ? trimmed.slice(cr + 1) : trimmed;
}

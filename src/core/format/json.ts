// JSON with the non-finite tokens Python's `json` module writes (`NaN`, `Infinity`, `-Infinity`).

const NAN_MARK = '\u0000runlog:NaN';
const INF_MARK = '\u0000runlog:Infinity';
const NEG_INF_MARK = '\u0000runlog:-Infinity';

/**
 * Parses one JSON text. The fast path is `JSON.parse`; only text that fails it and contains a
 * bare non-finite token goes through the tokenizer, which swaps those tokens (outside strings)
 * for markers that a reviver turns back into numbers.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
  }
  const replaced = replaceNonFiniteTokens(text);
  if (replaced === undefined) return JSON.parse(text); // rethrows the original syntax error
  return JSON.parse(replaced, reviveNonFinite);
}

function reviveNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.charCodeAt(0) === 0) {
    if (value === NAN_MARK) return NaN;
    if (value === INF_MARK) return Infinity;
    if (value === NEG_INF_MARK) return -Infinity;
  }
  return value;
}

/** Returns the text with bare tokens replaced by quoted markers, or undefined when none occur. */
function replaceNonFiniteTokens(text: string): string | undefined {
  const parts: string[] = [];
  let last = 0;
  let found = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, honouring escapes.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      continue;
    }
    let token: string | undefined;
    let mark = '';
    if (c === 0x4e /* N */ && text.startsWith('NaN', i)) {
      token = 'NaN';
      mark = NAN_MARK;
    } else if (c === 0x49 /* I */ && text.startsWith('Infinity', i)) {
      token = 'Infinity';
      mark = INF_MARK;
    } else if (c === 0x2d /* - */ && text.startsWith('-Infinity', i)) {
      token = '-Infinity';
      mark = NEG_INF_MARK;
    }
    if (token !== undefined) {
      parts.push(text.slice(last, i), JSON.stringify(mark));
      i += token.length - 1;
      last = i + 1;
      found = true;
    }
  }
  if (!found) return undefined;
  parts.push(text.slice(last));
  return parts.join('');
}

/** `JSON.stringify` that writes non-finite numbers as Python does, so either side can read them. */
export function stringifyJson(value: unknown): string {
  let hasNonFinite = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      hasNonFinite = true;
      return Number.isNaN(v) ? NAN_MARK : v > 0 ? INF_MARK : NEG_INF_MARK;
    }
    return v;
  });
  if (!hasNonFinite) return text;
  return text
    .replaceAll(JSON.stringify(NAN_MARK), 'NaN')
    .replaceAll(JSON.stringify(NEG_INF_MARK), '-Infinity')
    .replaceAll(JSON.stringify(INF_MARK), 'Infinity');
}

// A logged table (the JSON file of a `table` or `plot` media record) as pages of rows, filtered
// and sorted. Pure: the host reads the file and hands the text in.

export interface TableData {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export interface TablePage {
  readonly total: number;
  readonly rows: readonly (readonly unknown[])[];
}

/** Parses `{"columns": [...], "data": [[...], ...]}`; throws an Error that says what is wrong. */
export function parseTable(text: string): TableData {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Python's json writes NaN and ±Infinity bare; only then is the whole text rewritten.
    try {
      value = JSON.parse(text.replace(/\bNaN\b|-?\bInfinity\b/g, 'null'));
    } catch (e) {
      throw new Error(`not JSON (${(e as Error).message})`);
    }
  }
  if (typeof value !== 'object' || value === null) throw new Error('not a table object');
  const { columns, data } = value as { columns?: unknown; data?: unknown };
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) throw new Error('`columns` must be a list of strings');
  if (!Array.isArray(data) || !data.every(Array.isArray)) throw new Error('`data` must be a list of rows');
  return { columns: columns as string[], rows: data as unknown[][] };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return typeof (v as { caption?: unknown }).caption === 'string' ? (v as { caption: string }).caption : '';
  return String(v);
}

/** Order: numbers (and booleans) ascending, then strings, then everything else; stable. */
function compareCells(a: unknown, b: unknown): number {
  const rank = (v: unknown): number => (typeof v === 'number' || typeof v === 'boolean' ? 0 : typeof v === 'string' ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return Number(a) - Number(b);
  if (ra === 1) return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  return 0;
}

/** Tables of several runs as one: a leading `run` column, the union of their columns in order. */
export function concatTables(parts: readonly { readonly run: string; readonly data: TableData }[]): TableData {
  const columns: string[] = [];
  for (const p of parts) for (const c of p.data.columns) if (!columns.includes(c)) columns.push(c);
  const rows: unknown[][] = [];
  for (const p of parts) {
    const at = columns.map((c) => p.data.columns.indexOf(c));
    for (const r of p.data.rows) rows.push([p.run, ...at.map((i) => (i < 0 ? null : (r[i] ?? null)))]);
  }
  return { columns: ['run', ...columns], rows };
}

/** A table with the row order of its last filter and sort kept, so paging through it is cheap. */
export class TableQuery {
  private _orderKey = '';
  private _order: number[] = [];

  constructor(readonly data: TableData) {}

  page(sort: { readonly column: number; readonly descending: boolean } | null, filter: string, offset: number, count: number): TablePage {
    const key = `${sort ? `${sort.column}:${sort.descending}` : ''}|${filter}`;
    if (key !== this._orderKey) {
      this._order = this.order(sort, filter);
      this._orderKey = key;
    }
    const rows = this._order.slice(offset, offset + count).map((i) => this.data.rows[i]!);
    return { total: this._order.length, rows };
  }

  private order(sort: { readonly column: number; readonly descending: boolean } | null, filter: string): number[] {
    const rows = this.data.rows;
    let order = rows.map((_, i) => i);
    const needle = filter.trim().toLowerCase();
    if (needle !== '') order = order.filter((i) => rows[i]!.some((v) => cellText(v).toLowerCase().includes(needle)));
    if (sort && sort.column < this.data.columns.length) {
      const c = sort.column;
      const sign = sort.descending ? -1 : 1;
      order.sort((x, y) => compareCells(rows[x]![c], rows[y]![c]) * sign || x - y);
    }
    return order;
  }
}

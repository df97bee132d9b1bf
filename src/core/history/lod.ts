// The extremes of a run of history points: what a level-of-detail block stores and what a chart
// bucket shows. Folded here only, by the ingest (blocks) and by the reads (buckets).

/** Block sizes (in steps) of the history level-of-detail table, finest first. */
export const LOD_LEVELS = [32, 256, 2048, 16384] as const;

/** Count and lowest/highest point of a span of steps; NaN/null values count but are no extreme. */
export interface Extremes {
  count: number;
  minStep: number | null;
  minValue: number | null;
  minTs: number | null;
  maxStep: number | null;
  maxValue: number | null;
  maxTs: number | null;
}

export function emptyExtremes(): Extremes {
  return { count: 0, minStep: null, minValue: null, minTs: null, maxStep: null, maxValue: null, maxTs: null };
}

/** Adds one point. The first of equal extremes is kept. */
export function foldPoint(e: Extremes, step: number, value: number | null, ts: number): void {
  e.count++;
  if (value === null || value !== value) return;
  if (e.minValue === null || value < e.minValue) {
    e.minValue = value;
    e.minStep = step;
    e.minTs = ts;
  }
  if (e.maxValue === null || value > e.maxValue) {
    e.maxValue = value;
    e.maxStep = step;
    e.maxTs = ts;
  }
}

/** Adds the extremes of a later span (a stored block) to `e`. */
export function foldExtremes(e: Extremes, span: Extremes): void {
  e.count += span.count;
  if (span.minValue !== null && span.minStep !== null && (e.minValue === null || span.minValue < e.minValue)) {
    e.minValue = span.minValue;
    e.minStep = span.minStep;
    e.minTs = span.minTs;
  }
  if (span.maxValue !== null && span.maxStep !== null && (e.maxValue === null || span.maxValue > e.maxValue)) {
    e.maxValue = span.maxValue;
    e.maxStep = span.maxStep;
    e.maxTs = span.maxTs;
  }
}

/** A stored block: `block` is the step divided by `level`. */
export interface LodBlock extends Extremes {
  readonly level: number;
  readonly block: number;
}

export function emptyBlock(level: number, block: number): LodBlock {
  return { level, block, ...emptyExtremes() };
}

/** A `history_lod` row after its key, level and block columns. */
export type LodRow = [count: number, minStep: number | null, minValue: number | null, minTs: number | null, maxStep: number | null, maxValue: number | null, maxTs: number | null];

export function blockFromRow(level: number, block: number, r: LodRow): LodBlock {
  return { level, block, count: r[0], minStep: r[1], minValue: r[2], minTs: r[3], maxStep: r[4], maxValue: r[5], maxTs: r[6] };
}

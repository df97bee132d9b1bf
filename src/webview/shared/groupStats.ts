// The mean and min–max band of a group of runs for one metric. Runs log at different steps and
// arrive downsampled, so each run is first put on a shared grid of bins over x (the mean of its
// points in a bin, linear interpolation across empty bins inside its range); then every bin
// takes the mean, min and max over the runs that reach it.

export interface XYSeries {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

export interface GroupStats {
  readonly x: Float64Array;
  readonly mean: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  /** Runs with a value in each bin. */
  readonly count: Uint32Array;
}

export function groupStats(runs: readonly XYSeries[], bins = 200): GroupStats {
  let lo = Infinity;
  let hi = -Infinity;
  // No more bins than the longest run has points: a short run would leave most bins empty.
  let points = 0;
  for (const r of runs) {
    let own = 0;
    for (let i = 0; i < r.x.length; i++) {
      const x = r.x[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(r.y[i]!)) continue;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
      own++;
    }
    points = Math.max(points, own);
  }
  if (points === 0) return { x: new Float64Array(0), mean: new Float64Array(0), min: new Float64Array(0), max: new Float64Array(0), count: new Uint32Array(0) };
  const n = hi === lo ? 1 : Math.max(1, Math.min(bins, points));
  const width = hi === lo ? 1 : (hi - lo) / n;
  const binOf = (x: number): number => (hi === lo ? 0 : Math.min(n - 1, Math.floor((x - lo) / width)));
  const x = new Float64Array(n);
  for (let b = 0; b < n; b++) x[b] = hi === lo ? lo : lo + (b + 0.5) * width;

  const sum = new Float64Array(n);
  const min = new Float64Array(n).fill(Infinity);
  const max = new Float64Array(n).fill(-Infinity);
  const count = new Uint32Array(n);
  const runSum = new Float64Array(n);
  const runCount = new Uint32Array(n);
  for (const r of runs) {
    runSum.fill(0);
    runCount.fill(0);
    for (let i = 0; i < r.x.length; i++) {
      const xv = r.x[i]!;
      const yv = r.y[i]!;
      if (!Number.isFinite(xv) || !Number.isFinite(yv)) continue;
      const b = binOf(xv);
      runSum[b] = runSum[b]! + yv;
      runCount[b] = runCount[b]! + 1;
    }
    let prev = -1;
    for (let b = 0; b < n; b++) {
      if (runCount[b] === 0) continue;
      const v = runSum[b]! / runCount[b]!;
      if (prev >= 0 && b - prev > 1) {
        const pv = runSum[prev]! / runCount[prev]!;
        for (let k = prev + 1; k < b; k++) add(k, pv + ((v - pv) * (k - prev)) / (b - prev));
      }
      add(b, v);
      prev = b;
    }
  }
  function add(b: number, v: number): void {
    sum[b] = sum[b]! + v;
    count[b] = count[b]! + 1;
    if (v < min[b]!) min[b] = v;
    if (v > max[b]!) max[b] = v;
  }
  const mean = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    if (count[b] === 0) {
      mean[b] = min[b] = max[b] = Number.NaN;
    } else {
      mean[b] = sum[b]! / count[b]!;
    }
  }
  return { x, mean, min, max, count };
}

// The 100,000-run bench store: generated once by bench/stores.ts's writeScaleRuns (format v1
// files, nothing committed) into a cache folder outside the repository, reused by every later
// `npm run bench`. Its index is rebuilt by the bench itself (that rebuild is one of the figures).
//
//   npx tsx bench/bigStore.ts [runs]   builds it ahead of time and prints where it is
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeScaleRuns, type ScaleStore } from './stores';

/** Steps of each run: 100,000 runs × 10 steps × 2 metrics = 2M points. */
export const BIG_STEPS = 10;

/** Where cached bench stores live (outside the repo): $RUNLOG_BENCH_CACHE or ~/.cache/runlog-bench. */
export function benchCache(): string {
  return process.env.RUNLOG_BENCH_CACHE ?? join(homedir(), '.cache', 'runlog-bench');
}

/**
 * The store of `runs` scale runs, written on first use (minutes for 100,000 runs) and then
 * reused. A half-written store (the process was cut off) is never used: the files are written in
 * a scratch folder renamed into place when complete.
 */
export function ensureScaleStore(runs: number, steps = BIG_STEPS): ScaleStore & { generatedMs: number | null } {
  const dir = join(benchCache(), `scale-${runs}-s${steps}-v1`);
  const complete = join(dir, 'complete.json');
  const project = 'scale';
  if (!existsSync(complete)) {
    const scratch = `${dir}.partial-${process.pid}`;
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    const t0 = performance.now();
    const written = writeScaleRuns(scratch, runs, steps, project);
    const generatedMs = performance.now() - t0;
    writeFileSync(join(scratch, 'complete.json'), `${JSON.stringify({ runs, steps, newestName: written.newestName, generatedMs })}\n`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(benchCache(), { recursive: true });
    renameSync(scratch, dir);
    return { ...written, dir, keys: written.keys, generatedMs };
  }
  // Same generator, same seed: the keys are the ids writeScaleRuns gives, in the same order.
  const keys = Array.from({ length: runs }, (_, i) => `${project}/s${i.toString(36).padStart(7, '0')}`);
  return { dir, project, keys, newestName: `sweep-${runs - 1}`, generatedMs: null };
}

if (process.argv[1]?.endsWith('bigStore.ts')) {
  const runs = Number(process.argv[2] ?? 100_000);
  const s = ensureScaleStore(runs);
  console.log(JSON.stringify({ dir: s.dir, runs: s.keys.length, generatedMs: s.generatedMs && Math.round(s.generatedMs) }));
}

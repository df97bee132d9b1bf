// Sweep overhead per trial: the agent's claim of a trial → the trial's init() returned, beside a
// bare init() in the same interpreter and store (sdk/python/bench_sweep.py; medians).
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface SweepBenchResult {
  readonly trials: number;
  readonly bare_init_ms: number;
  readonly claim_to_init_ms: number;
  readonly overhead_ms: number;
  readonly python: string;
}

export function measureSweepOverhead(trials = 30): Promise<SweepBenchResult> {
  const script = join(__dirname, '..', 'sdk', 'python', 'bench_sweep.py');
  return new Promise((resolve, reject) => {
    execFile('python3', [script, '--json', '--trials', String(trials)], { env: { ...process.env, RUNLOG_QUIET: '1' }, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`bench_sweep.py failed: ${error.message}\n${stderr}`));
      try {
        const r = JSON.parse(stdout.trim().split('\n').pop() ?? '') as SweepBenchResult;
        if (typeof r.overhead_ms !== 'number') throw new Error('unexpected shape');
        resolve(r);
      } catch {
        reject(new Error(`bench_sweep.py printed no JSON result: ${stdout}\n${stderr}`));
      }
    });
  });
}

if (require.main === module) {
  void measureSweepOverhead(Number(process.argv[2] ?? 30)).then((r) => console.log(JSON.stringify(r)));
}

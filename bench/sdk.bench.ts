// Cost of the Python SDK's `log()` with 3 floats beside `json.dumps` + a buffered write of the
// same dict, both in one interpreter: runs sdk/python/bench_log.py and reads its JSON line.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface SdkTimes {
  readonly baseline_us_per_call: number;
  readonly log_us_per_call: number;
  readonly ratio: number;
}

/** What bench_log.py --json prints: per-call times by CPU time and by wall time. */
export interface SdkResult {
  readonly calls: number;
  readonly repeat: number;
  readonly python: string;
  readonly cpu: SdkTimes;
  readonly wall: SdkTimes;
}

export function measureSdk(options: { calls?: number; repeat?: number } = {}): Promise<SdkResult> {
  const script = join(__dirname, '..', 'sdk', 'python', 'bench_log.py');
  const args = [script, '--json', '--calls', String(options.calls ?? 100_000), '--repeat', String(options.repeat ?? 5)];
  return new Promise((resolve, reject) => {
    execFile('python3', args, { env: { ...process.env, RUNLOG_QUIET: '1' }, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`bench_log.py failed: ${error.message}\n${stderr}`));
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const r = JSON.parse(line) as SdkResult;
        if (typeof r.wall?.log_us_per_call !== 'number' || typeof r.cpu?.log_us_per_call !== 'number') throw new Error('unexpected shape');
        resolve(r);
      } catch {
        reject(new Error(`bench_log.py printed no JSON with cpu and wall times: ${stdout}\n${stderr}`));
      }
    });
  });
}

if (require.main === module) {
  void measureSdk().then((r) => console.log(JSON.stringify(r)));
}

// bench/live/live_run.py as the live-latency figures drive it: a real Python process that logs
// step 0, says `ready <run-key>`, waits for its go file, then logs its points and writes when it
// called each log().
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo } from '../ui/session';

export interface LiveScript {
  /** The run's key (`project/id`): step 0 is logged and flushed. */
  readonly key: string;
  /** Lets the script log its points; resolves, once it finished, with [step, epoch ms right before log()] of each. */
  go(): Promise<(readonly [number, number])[]>;
  /** Kills the script if it still runs and removes its scratch folder. */
  dispose(): void;
}

/** Starts the script on `store` and waits until it is ready. */
export async function startLiveScript(store: string, points: number, intervalMs: number): Promise<LiveScript> {
  const scratch = mkdtempSync(join(tmpdir(), 'runlog-bench-live-'));
  const goFile = join(scratch, 'go');
  const outFile = join(scratch, 'sent.json');
  const child = spawn('python3', [join(repo, 'bench', 'live', 'live_run.py'), store, goFile, outFile, String(points), String(intervalMs / 1000)], {
    env: { ...process.env, PYTHONPATH: join(repo, 'sdk', 'python'), RUNLOG_QUIET: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const dispose = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const key = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /ready (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`the live script exited (${code}) before it was ready: ${stderr}`)));
    });
    const go = async () => {
      writeFileSync(goFile, '');
      const code = await exited;
      if (code !== 0) throw new Error(`the live script failed (${code}): ${stderr}`);
      return (JSON.parse(readFileSync(outFile, 'utf8')) as [number, number][]).map(([step, t]) => [step, t * 1000] as const);
    };
    return { key, go, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

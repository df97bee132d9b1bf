// The demo's and the toolchain's long steps say what they do, how long they usually take, and
// that they are still at it (issue 17: a first `npm run demo` was silent for three minutes).
import * as assert from 'node:assert/strict';

type ProgressModule = typeof import('../../../scripts/lib/progress.mjs', { with: { 'resolution-mode': 'import' } });
let withProgress: ProgressModule['withProgress'];
let formatElapsed: ProgressModule['formatElapsed'];

describe('scripts: progress of long steps', () => {
  before(async () => {
    ({ withProgress, formatElapsed } = await import('../../../scripts/lib/progress.mjs'));
  });

  it('announces the step and its usual duration, repeats while it runs, and says when it is done', async () => {
    const lines: string[] = [];
    let clock = 0;
    let reported!: () => void;
    const secondLine = new Promise<void>((resolve) => (reported = resolve));
    const result = await withProgress(
      '[toolchain] installing code-server 4.139.1',
      '2–4 minutes, once',
      async () => {
        clock = 75_000;
        await secondLine; // the work ends only after a "still" line was printed
        clock = 190_000;
        return 42;
      },
      {
        everyMs: 5,
        now: () => clock,
        log: (line) => {
          lines.push(line);
          if (lines.length === 2) reported();
        },
      },
    );
    assert.equal(result, 42);
    assert.equal(lines[0], '[toolchain] installing code-server 4.139.1 (usually 2–4 minutes, once)…');
    assert.equal(lines[1], '  … still installing code-server 4.139.1: 1 min 15 s so far (usually 2–4 minutes, once)');
    assert.equal(lines.at(-1), '  done in 3 min 10 s');
  });

  it('stops reporting when the step fails, and passes the failure on', async () => {
    const lines: string[] = [];
    await assert.rejects(withProgress('[demo] packaging', '10–30 s', () => Promise.reject(new Error('vsce failed')), { log: (l) => lines.push(l) }), /vsce failed/);
    assert.deepEqual(lines, ['[demo] packaging (usually 10–30 s)…']);
  });

  it('formats elapsed time in seconds, then minutes and seconds', () => {
    assert.equal(formatElapsed(4_400), '4 s');
    assert.equal(formatElapsed(59_000), '59 s');
    assert.equal(formatElapsed(125_000), '2 min 05 s');
  });
});

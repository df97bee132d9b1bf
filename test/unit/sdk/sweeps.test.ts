// Sweeps in the Python SDK: config validation, the three searches, hyperband, atomic claims by
// concurrent agent processes, crashed trials and agents, and the store seen from two folders.

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cleanTemps, finished, Workspace, waitFor, type PyResult } from '../../harness/python';

function ok(result: PyResult): string {
  assert.equal(result.code, 0, `python exited ${result.code} ${result.signal ?? ''}\n${result.stderr}`);
  return result.stdout;
}

interface Trial {
  trial: number;
  state: string;
  params: Record<string, unknown>;
  metric?: number | null;
  reason?: string;
  note?: string;
  search_note?: string;
  run: { project: string; id: string };
}

function trials(store: string, sweepId: string): Trial[] {
  const dir = join(store, 'sweeps', sweepId, 'trials');
  return readdirSync(dir)
    .filter((n) => /^\d{6}\.json$/.test(n))
    .sort()
    .map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as Trial);
}

describe('SDK: sweeps', function () {
  this.timeout(120_000);
  afterEach(cleanTemps);

  it('refuses a bad config with the offending key and the reason', async () => {
    const ws = new Workspace();
    const out = ok(await ws.py(`
import runlog
cases = [
    {"method": "annealing", "parameters": {"x": {"values": [1]}}},
    {"method": "random", "parameters": {"x": {"distribution": "zipf", "min": 0, "max": 1}}},
    {"method": "random", "parameters": {"x": {"min": 2.0, "max": 1.0}}},
    {"method": "grid", "parameters": {"x": {"values": []}}},
    {"method": "grid", "parameters": {k: {"values": list(range(10))} for k in "abcdef"}},
    {"method": "bayes", "parameters": {"x": {"min": 0.0, "max": 1.0}}},
    {"method": "random", "parameters": {"opt": {"parameters": {"lr": {"min": 0.1, "max": 1, "mu": 3}}}}},
]
for c in cases:
    try:
        runlog.sweep(c, project="p")
        print("ACCEPTED")
    except runlog.SweepConfigError as e:
        print(e)
capped = dict(cases[4], run_cap=10)
print("capped", len(runlog.sweep(capped, project="p")))
`));
    const lines = out.trim().split('\n');
    assert.match(lines[0]!, /method: unknown method 'annealing' \(one of grid, random, bayes\)/);
    assert.match(lines[1]!, /parameters\.x\.distribution: unknown distribution 'zipf'/);
    assert.match(lines[2]!, /parameters\.x: min \(2\.0\) is greater than max \(1\.0\)/);
    assert.match(lines[3]!, /parameters\.x\.values: is empty/);
    assert.match(lines[4]!, /parameters: the grid has 1000000 combinations, more than 100000: narrow it or set run_cap/);
    assert.match(lines[5]!, /metric: bayes needs a metric/);
    assert.match(lines[6]!, /parameters\.opt\.parameters\.lr\.mu: uniform does not take mu \(it takes max, min\)/);
    assert.equal(lines[7], 'capped 8');
  });

  it('grid: every combination once, in a stable order, then the sweep ends; runs carry the sweep id and config', async () => {
    const ws = new Workspace();
    const out = ok(await ws.py(`
import runlog
seen = []
def train():
    run = runlog.init(config={"batch": 1, "lr": -1})
    seen.append((run.config["lr"], run.config["model"]["depth"], run.config["batch"], run.sweep_id))
    run.log({"loss": run.config["lr"] * run.config["model"]["depth"]})
sid = runlog.sweep({"method": "grid", "metric": {"name": "loss"},
                    "parameters": {"lr": {"values": [0.1, 0.01, 0.001]},
                                   "model": {"parameters": {"depth": {"distribution": "int_uniform", "min": 2, "max": 3}}}}},
                   project="grid")
print(runlog.agent(sid, function=train, quiet=True))
print(sid)
for s in seen: print(*s)
`));
    const [count, sid, ...rows] = out.trim().split('\n');
    assert.equal(count, '6');
    assert.deepEqual(rows, ['0.1 2 1', '0.1 3 1', '0.01 2 1', '0.01 3 1', '0.001 2 1', '0.001 3 1'].map((r) => `${r} ${sid}`));
    const ts = trials(ws.store, sid!);
    assert.deepEqual(ts.map((t) => [t.trial, t.state]), [0, 1, 2, 3, 4, 5].map((i) => [i, 'finished']));
    assert.equal(ts[5]!.metric, 0.003);
    const init = ws.events(ws.runDir('grid', ts[2]!.run.id), 'init')[0]!;
    assert.deepEqual(init.sweep, { id: sid, trial: 2 });
  });

  it('random: every distribution draws within its bounds and its quantization', async () => {
    const ws = new Workspace();
    const out = ok(await ws.py(`
import math, random
from runlog._sweeps import config, search
cfg = config.validate({"method": "random", "parameters": {
    "iu": {"distribution": "int_uniform", "min": -3, "max": 4},
    "u": {"distribution": "uniform", "min": 0.5, "max": 0.75},
    "qu": {"distribution": "q_uniform", "min": 0, "max": 10, "q": 2.5},
    "lu": {"distribution": "log_uniform", "min": -2, "max": 1},
    "luv": {"distribution": "log_uniform_values", "min": 1e-5, "max": 1e-2},
    "qluv": {"distribution": "q_log_uniform_values", "min": 16, "max": 512, "q": 16},
    "ilu": {"distribution": "inv_log_uniform_values", "min": 0.01, "max": 0.1},
    "n": {"distribution": "normal", "mu": 5, "sigma": 0.1},
    "ln": {"distribution": "log_normal", "mu": 0, "sigma": 0.5},
    "b": {"distribution": "beta", "a": 2, "b": 5},
    "c": {"values": ["x", "y"], "probabilities": [0.0, 1.0]},
    "k": {"value": 7}}})
rng = random.Random(1)
bad = []
for _ in range(500):
    p = search.random_point(cfg["parameters"], rng)
    checks = {
        "iu": isinstance(p["iu"], int) and -3 <= p["iu"] <= 4,
        "u": 0.5 <= p["u"] <= 0.75,
        "qu": 0 <= p["qu"] <= 10 and abs(p["qu"] / 2.5 - round(p["qu"] / 2.5)) < 1e-9,
        "lu": math.exp(-2) <= p["lu"] <= math.exp(1),
        "luv": 1e-5 <= p["luv"] <= 1e-2,
        "qluv": p["qluv"] % 16 == 0 and 16 <= p["qluv"] <= 512,
        "ilu": 0.01 <= p["ilu"] <= 0.1,
        "n": 4 < p["n"] < 6,
        "ln": p["ln"] > 0,
        "b": 0 <= p["b"] <= 1,
        "c": p["c"] == "y",
        "k": p["k"] == 7,
    }
    bad += [k for k, good in checks.items() if not good]
print("bad", sorted(set(bad)))
`));
    assert.equal(out.trim(), 'bad []');
  });

  it('bayes (TPE) beats random on a known function with the same seed and number of trials', async () => {
    const ws = new Workspace();
    const out = ok(await ws.py(`
import math, random
from runlog._sweeps import config, search
# Branin on its usual box: minimum 0.397887 at three points.
def branin(x, y):
    return (y - 5.1 / (4 * math.pi ** 2) * x * x + 5 / math.pi * x - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x) + 10
cfg = config.validate({"method": "bayes", "metric": {"name": "f", "goal": "minimize"},
                       "parameters": {"x": {"min": -5.0, "max": 10.0}, "y": {"min": 0.0, "max": 15.0}}})
def best(method, seed, n=40):
    rng = random.Random(seed)
    obs = []
    for _ in range(n):
        p = search.tpe_point(cfg["parameters"], obs, "minimize", rng) if method == "bayes" else search.random_point(cfg["parameters"], rng)
        obs.append((p, branin(p["x"], p["y"])))
    return min(y for _, y in obs)
bayes = [best("bayes", s) for s in range(5)]
rand = [best("random", s) for s in range(5)]
print("bayes %.4f random %.4f" % (sum(bayes) / 5, sum(rand) / 5))
`));
    const m = /bayes ([\d.]+) random ([\d.]+)/.exec(out)!;
    assert.ok(m, out);
    assert.ok(Number(m[1]) < Number(m[2]), `bayes mean best ${m[1]} should beat random ${m[2]} over 40 trials`);
  });

  it('hyperband stops a trial that falls behind at a bracket: its run ends killed with the reason', async () => {
    const ws = new Workspace();
    const out = ok(await ws.py(`
import runlog
order = iter([0.3, 0.2, 0.1, 5.0])
def train():
    run = runlog.init()
    base = next(order)
    for i in range(9):
        run.log({"loss": base + i * 0.001})
sid = runlog.sweep({"method": "random", "metric": {"name": "loss", "goal": "minimize"},
                    "parameters": {"x": {"min": 0.0, "max": 1.0}},
                    "early_terminate": {"type": "hyperband", "min_iter": 3, "eta": 2}}, project="hb")
runlog.agent(sid, function=train, count=4, quiet=True)
print(sid)
`));
    const sid = out.trim();
    const ts = trials(ws.store, sid);
    assert.deepEqual(ts.map((t) => t.state), ['finished', 'finished', 'finished', 'killed']);
    const killed = ts[3]!;
    assert.match(killed.reason!, /^hyperband: loss=5\.002 at iteration 3 is not in the best 1\/2 of 4 trials/);
    const dir = ws.runDir('hb', killed.run.id);
    const exit = ws.events(dir, 'exit')[0]!;
    assert.equal(exit.state, 'killed');
    assert.equal(exit.reason, killed.reason);
    assert.equal(ws.events(dir, 'history').length, 3, 'the trial stopped at its bracket');
  });

  it('8 concurrent agent processes claim every trial exactly once', async () => {
    const ws = new Workspace();
    const sid = ok(await ws.py(`
import runlog
print(runlog.sweep({"method": "grid", "parameters": {"i": {"values": list(range(40))}}}, project="many"))
`)).trim();
    const agent = ws.script(`
import os, runlog
def train():
    run = runlog.init()
    run.log({"pid": os.getpid(), "i": run.config["i"]})
runlog.agent("${sid}", function=train, quiet=True)
`, 'agent.py');
    const results = await Promise.all(Array.from({ length: 8 }, () => finished(ws.start([agent]), 110_000)));
    for (const r of results) ok(r);
    const ts = trials(ws.store, sid);
    assert.deepEqual(ts.map((t) => t.trial), Array.from({ length: 40 }, (_, i) => i));
    assert.deepEqual(ts.map((t) => t.params.i).sort((a, b) => Number(a) - Number(b)), Array.from({ length: 40 }, (_, i) => i));
    assert.ok(ts.every((t) => t.state === 'finished'));
    assert.equal(new Set(ts.map((t) => t.run.id)).size, 40);
    assert.equal(ws.runIds('many').length, 40, 'one run per trial');
    const pids = new Set(ts.map((t) => (t as unknown as { agent: { pid: number } }).agent.pid));
    assert.ok(pids.size > 1, 'more than one agent ran trials');
  });

  it('counts a crashing trial and a trial that never logs the metric, and goes on; bayes falls back to random with a note', async () => {
    const ws = new Workspace();
    const out = ok(await ws.py(`
import runlog
calls = []
def train():
    run = runlog.init()
    calls.append(1)
    if len(calls) == 2:
        raise RuntimeError("boom")
    run.log({"other": 1.0})
sid = runlog.sweep({"method": "bayes", "metric": {"name": "loss"}, "parameters": {"x": {"min": 0.0, "max": 1.0}}}, project="bad")
print(runlog.agent(sid, function=train, count=7))
print(sid)
`));
    const [count, sid] = out.trim().split('\n');
    assert.equal(count, '7');
    const ts = trials(ws.store, sid!);
    assert.equal(ts[1]!.state, 'failed');
    assert.equal(ts.filter((t) => t.state === 'finished').length, 6);
    assert.equal(ts[0]!.note, "the trial never logged the sweep's metric 'loss'");
    assert.match(ts[6]!.search_note!, /bayes fell back to random: none of 6 ended trials logged 'loss'/);
  });

  it('an agent killed mid-trial leaves the trial crashed, never claimed again; program runs with its ${args}', async () => {
    const ws = new Workspace();
    ws.script(`
import sys, time, runlog
run = runlog.init()
run.log({"loss": run.config["lr"]})
print("ARGV", sys.argv[1:], flush=True)
if run.config["lr"] > 0.5:
    time.sleep(60)
`, 'train.py');
    ws.script(`
program: train.py
method: grid
metric: {name: loss, goal: minimize}
parameters:
  lr:
    values: [0.9, 0.1]
command: ["\${env}", "\${interpreter}", "\${program}", "\${args}", "--fixed"]
`, 'sweep.yaml');
    const sid = ok(await ws.run(['-m', 'runlog._sweeps', 'create', 'sweep.yaml', '--project', 'kill'])).trim();
    const agent = ws.start(['-m', 'runlog._sweeps', 'agent', sid]);
    let stdout = '';
    agent.stdout!.on('data', (t: Buffer) => (stdout += t.toString()));
    await waitFor('the first trial to run', () => stdout.includes('ARGV'), 30_000);
    assert.match(stdout, /ARGV \['--lr=0\.9', '--fixed'\]/);
    agent.kill('SIGKILL');
    const second = ok(await ws.run(['-m', 'runlog._sweeps', 'agent', sid, '--count', '5'], {}, 60_000));
    assert.match(second, /ARGV \['--lr=0\.1', '--fixed'\]/);
    const ts = trials(ws.store, sid);
    assert.deepEqual(ts.map((t) => [t.trial, t.state]), [[0, 'running'], [1, 'finished']]);
    const states = ok(await ws.py(`
from runlog._sweeps import state
print([state.effective_state("${ws.store}", t) for t in state.read_trials("${ws.store}", "${sid}")])
`));
    assert.equal(states.trim(), "['crashed', 'finished']");
    const run0 = ws.runDir('kill', ts[0]!.run.id);
    await waitFor('the orphaned trial to end with its agent', () => ws.events(run0, 'exit').length === 1, 20_000);
  });

  it('agents in two folders that see the same store share its trials', async () => {
    const ws = new Workspace();
    const sid = ok(await ws.py(`
import runlog
print(runlog.sweep({"method": "grid", "parameters": {"i": {"values": list(range(12))}}}, project="shared"))
`)).trim();
    const other = join(ws.dir, 'mount-b');
    symlinkSync(ws.store, other);
    const agent = ws.script(`
import os, runlog
def train():
    runlog.init().log({"i": runlog.config["i"]})
runlog.agent("${sid}", function=train, quiet=True, dir=os.environ["STORE_VIEW"])
`, 'agent.py');
    const runs = [ws.store, other, ws.store, other].map((view) => finished(ws.start([agent], { STORE_VIEW: view }), 110_000));
    for (const r of await Promise.all(runs)) ok(r);
    const ts = trials(ws.store, sid);
    assert.deepEqual(ts.map((t) => t.params.i), Array.from({ length: 12 }, (_, i) => i));
    assert.equal(ws.runIds('shared').length, 12);
  });
});

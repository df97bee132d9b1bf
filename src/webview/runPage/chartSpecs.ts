// What the Charts and System tabs chart: one chart per history metric, and the system metrics
// with their titles, sections and units (GPUs share one chart per measure).
import type { RunView } from '../../common/runPageProtocol';
import { formatBytes } from '../shared/format';
import { compareNatural, sectionOf } from '../shared/sections';
import { chartedMetrics } from './stepMetric';

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly section: string;
  readonly keys: readonly string[];
  readonly labels: readonly string[];
  readonly yFormat?: (v: number) => string;
  /** define_metric(step_metric=...): the key whose values are this chart's x on the Step axis. */
  readonly xKey?: string;
}

/** One chart per numeric history key that define_metric does not hide, with its step metric as x axis when it has one. */
export function historySpecs(run: RunView): ChartSpec[] {
  return chartedMetrics(run.metrics).map(({ key, xKey }) => ({ id: `history:${key}`, title: key, section: sectionOf(key), keys: [key], labels: [key], ...(xKey !== undefined ? { xKey } : {}) }));
}

const SYSTEM_SECTIONS: Readonly<Record<string, string>> = {
  cpu: 'CPU',
  memory: 'Memory',
  process: 'Process',
  disk: 'Disk',
  network: 'Network',
  gpu: 'GPU',
};

const SYSTEM_TITLES: Readonly<Record<string, string>> = {
  'cpu/percent': 'CPU utilization (%)',
  'memory/used_bytes': 'System memory in use',
  'memory/percent': 'System memory utilization (%)',
  'process/rss_bytes': 'Process memory in use (RSS)',
  'process/cpu_percent': 'Process CPU utilization (%)',
  'disk/read_bytes_per_s': 'Disk read',
  'disk/write_bytes_per_s': 'Disk write',
  'network/recv_bytes_per_s': 'Network received',
  'network/sent_bytes_per_s': 'Network sent',
  'gpu/utilization': 'GPU utilization (%)',
  'gpu/memory_used_bytes': 'GPU memory allocated',
  'gpu/memory_percent': 'GPU memory utilization (%)',
  'gpu/temperature_c': 'GPU temperature (°C)',
  'gpu/power_w': 'GPU power usage (W)',
};

function systemFormat(key: string): ((v: number) => string) | undefined {
  if (key.includes('bytes_per_s')) return (v) => `${formatBytes(v)}/s`;
  if (key.includes('bytes')) return (v) => formatBytes(v);
  return undefined;
}

export function systemSpecs(keys: readonly string[]): ChartSpec[] {
  const gpu = new Map<string, { index: number; key: string }[]>();
  const specs: ChartSpec[] = [];
  for (const key of keys) {
    const m = /^gpu\/(\d+)\/(.+)$/.exec(key);
    if (m) {
      const list = gpu.get(m[2]!) ?? [];
      list.push({ index: Number(m[1]), key });
      gpu.set(m[2]!, list);
      continue;
    }
    const first = key.split('/')[0]!;
    specs.push({
      id: `system:${key}`,
      title: SYSTEM_TITLES[key] ?? key,
      section: SYSTEM_SECTIONS[first] ?? (first.charAt(0).toUpperCase() + first.slice(1)),
      keys: [key],
      labels: [SYSTEM_TITLES[key] ?? key],
      yFormat: systemFormat(key),
    });
  }
  for (const [measure, list] of gpu) {
    list.sort((a, b) => a.index - b.index);
    specs.push({
      id: `system:gpu/${measure}`,
      title: SYSTEM_TITLES[`gpu/${measure}`] ?? `GPU ${measure}`,
      section: 'GPU',
      keys: list.map((g) => g.key),
      labels: list.map((g) => `GPU ${g.index}`),
      yFormat: systemFormat(measure),
    });
  }
  const order = Object.values(SYSTEM_SECTIONS);
  return specs.sort((a, b) => {
    const oa = order.indexOf(a.section);
    const ob = order.indexOf(b.section);
    return (oa < 0 ? 99 : oa) - (ob < 0 ? 99 : ob) || compareNatural(a.title, b.title);
  });
}

// The chart.js interaction mode `nearestPerLine` that ChartView's tooltip uses: for every line,
// the point nearest the cursor along x (registered when this module loads).
import { Interaction, type Chart, type InteractionItem, type InteractionModeFunction } from 'chart.js';

const tooltipFilters = new WeakMap<Chart, (datasetIndex: number) => boolean>();

/** Which of `chart`'s datasets take part in its tooltip (all when none is set). */
export function setTooltipFilter(chart: Chart, filter: (datasetIndex: number) => boolean): void {
  tooltipFilters.set(chart, filter);
}

declare module 'chart.js' {
  interface InteractionModeMap {
    nearestPerLine: InteractionModeFunction;
  }
}

/** For every line, the point nearest the cursor along x. */
const nearestPerLine: InteractionModeFunction = (chart, e) => {
  const items: InteractionItem[] = [];
  const area = chart.chartArea;
  if (e.x === null || e.y === null || e.x < area.left || e.x > area.right || e.y < area.top || e.y > area.bottom) return items;
  const filter = tooltipFilters.get(chart);
  chart.data.datasets.forEach((_ds, datasetIndex) => {
    if (filter && !filter(datasetIndex)) return;
    const meta = chart.getDatasetMeta(datasetIndex);
    if (!chart.isDatasetVisible(datasetIndex)) return;
    const points = meta.data;
    if (points.length === 0) return;
    let lo = 0;
    let hi = points.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((points[mid]!.x ?? 0) < e.x!) lo = mid + 1;
      else hi = mid;
    }
    let best = -1;
    let bestDist = Infinity;
    for (let i = Math.max(0, lo - 2); i <= Math.min(points.length - 1, lo + 2); i++) {
      const p = points[i]!;
      if (!Number.isFinite(p.y) || (p as unknown as { skip?: boolean }).skip) continue;
      const d = Math.abs(p.x - e.x!);
      if (d < bestDist) {
        bestDist = d;
        best = i;
      }
    }
    if (best >= 0 && bestDist < 40) items.push({ element: points[best]!, datasetIndex, index: best });
  });
  return items;
};
Interaction.modes.nearestPerLine = nearestPerLine;

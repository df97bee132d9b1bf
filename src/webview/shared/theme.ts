// Colours from the editor theme, resolved to values a canvas understands.

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** `rgb(…)`/`#…` → rgba at `alpha` (canvas takes what getComputedStyle returns). */
function fade(color: string, alpha: number): string {
  const probe = document.createElement('span');
  probe.style.color = color;
  document.body.append(probe);
  const rgb = getComputedStyle(probe).color;
  probe.remove();
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(rgb);
  return m ? `rgba(${m[1]}, ${m[2]}, ${m[3]}, ${alpha})` : color;
}

export interface ChartTheme {
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly font: string;
  readonly tooltipBackground: string;
  readonly tooltipForeground: string;
  readonly tooltipBorder: string;
  readonly selection: string;
  readonly highContrast: boolean;
}

export function readChartTheme(): ChartTheme {
  const foreground = cssVar('--vscode-foreground', '#cccccc');
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  return {
    foreground,
    muted: cssVar('--vscode-descriptionForeground', foreground),
    grid: fade(foreground, highContrast ? 0.3 : 0.1),
    font: cssVar('--vscode-font-family', 'sans-serif'),
    tooltipBackground: cssVar('--vscode-editorHoverWidget-background', '#252526'),
    tooltipForeground: cssVar('--vscode-editorHoverWidget-foreground', foreground),
    tooltipBorder: cssVar('--vscode-editorHoverWidget-border', '#454545'),
    selection: fade(cssVar('--vscode-focusBorder', '#007fd4'), 0.2),
    highContrast,
  };
}

/** Calls `fn` when the editor theme changes (VS Code swaps the body's classes and variables). */
export function onThemeChange(fn: () => void): void {
  new MutationObserver(() => fn()).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
}

export const PIP_PACKAGES: readonly string[];
export function systemPython(): string;
export function ensureInteropPython(log?: (line: string) => void): Promise<{ systemPython: string; venvPython: string | undefined; missing: Record<string, string> }>;
/** A Python with debugpy, in a small venv under the tools folder (built on first use). */
export function ensureDebugpyPython(log?: (line: string) => void): Promise<string>;

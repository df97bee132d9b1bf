export declare function withProgress<T>(
  what: string,
  usually: string,
  work: () => Promise<T>,
  options?: { everyMs?: number; log?: (line: string) => void; now?: () => number },
): Promise<T>;
export declare function formatElapsed(ms: number): string;

/** Names the file where the in-host probe writes its HTTP port (read by bench/ui/session.ts). */
export const PROBE_ENV = 'RUNLOG_BENCH_PROBE';

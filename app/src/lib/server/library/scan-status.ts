/**
 * The host's library scan, tracked for the UI: one scan at a time per process, its progress kept
 * here so `GET /api/library/scan` and the layout can report it while pages keep being served.
 */
import type { ScanStatus } from '../../scan-status-schema';
import type { ScanOptions, ScanReport } from './scan';

const IDLE: ScanStatus = {
  state: 'idle',
  phase: null,
  done: 0,
  total: 0,
  current: null,
  errors: 0,
  startedAt: null,
  finishedAt: null,
  lastReport: null,
  failure: null,
};

let status: ScanStatus = IDLE;
let running: Promise<ScanReport | undefined> | undefined;

/** A snapshot of the scan status (a copy: callers may keep or serialise it). */
export function getScanStatus(): ScanStatus {
  return { ...status };
}

/**
 * Runs `scan`, feeding its progress into the status. Never rejects: a scan that fails as a whole is
 * logged and reported as `failed`, so a background scan cannot take the server down. While one
 * runs, a second call returns the running one instead of starting another.
 */
export function runTrackedScan(
  scan: (onProgress: NonNullable<ScanOptions['onProgress']>) => Promise<ScanReport>,
  log: (line: string) => void = console.log,
): Promise<ScanReport | undefined> {
  running ??= (async () => {
    status = {
      ...IDLE,
      state: 'running',
      phase: 'listing',
      startedAt: new Date().toISOString(),
      lastReport: status.lastReport,
    };
    try {
      const report = await scan(({ phase, done, total, path, errors }) => {
        status = { ...status, phase, done, total, current: path || null, errors };
      });
      const lastReport = { ...report, errors: report.errors.length };
      status = {
        ...status,
        state: 'done',
        phase: null,
        current: null,
        lastReport,
        errors: lastReport.errors,
      };
      status.finishedAt = new Date().toISOString();
      log(`[catalog] scan: ${JSON.stringify(lastReport)}`);
      for (const error of report.errors) log(`[catalog] unreadable: ${error.path}: ${error.message}`);
      return report;
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      status = { ...status, state: 'failed', current: null, failure, finishedAt: new Date().toISOString() };
      log(`[catalog] scan failed: ${failure}`);
      return undefined;
    } finally {
      running = undefined;
    }
  })();
  return running;
}

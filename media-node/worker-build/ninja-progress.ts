import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import cliProgress from 'cli-progress';

const NINJA_STEP = /^\[(\d+)\/(\d+)\]/;

/**
 * Runs ninja with a progress bar fed by its `[done/total]` status lines. Full output goes to
 * `logFile`; on failure the last lines are included in the error.
 */
export async function runNinjaWithProgress(args: string[], logFile: string): Promise<void> {
  const log = createWriteStream(logFile);
  const bar = new cliProgress.SingleBar(
    {
      format: 'mediasoup-worker |{bar}| {value}/{total} steps | {duration_formatted}',
      noTTYOutput: true,
      notTTYSchedule: 15_000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0);
  const tail: string[] = [];
  const child = spawn('ninja', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const onLine = (line: string) => {
    log.write(`${line}\n`);
    tail.push(line);
    if (tail.length > 40) tail.shift();
    const step = NINJA_STEP.exec(line);
    if (step) {
      bar.setTotal(Number(step[2]));
      bar.update(Number(step[1]));
    }
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  bar.stop();
  log.end();
  if (code !== 0) {
    throw new Error(`ninja failed (exit ${code}); full log: ${logFile}\n${tail.join('\n')}`);
  }
}

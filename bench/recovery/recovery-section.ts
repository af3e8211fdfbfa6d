/** `npm run bench -- --only recovery`: the Recovery section of docs/BENCHMARKS.md. */
import { loadavg } from 'node:os';
import { runEdgeFanout } from '../edge-fanout/run-edge-fanout';
import { writeSection } from '../report';
import { recoveryMarkdown } from './recovery-report';
import { runAudioFaults } from './run-audio-faults';
import { runStorm } from './run-storm';

export async function recovery(
  options: { 'recovery-runs'?: string; 'storm-listeners'?: string; 'edge-samples'?: string },
  file: string,
  machine: string,
  date: string,
): Promise<void> {
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
  const runs = Number(options['recovery-runs'] ?? 5);
  const listeners = 2;
  const audio = await runAudioFaults({
    faults: ['worker-kill', 'media-node-restart', 'edge-restart', 'host-drop'],
    runs,
    listeners,
  });
  const storm = await runStorm({ listeners: Number(options['storm-listeners'] ?? 1000), runs });
  const fanout = await runEdgeFanout({
    levels: [1000],
    samples: Number(options['edge-samples'] ?? 50),
    // Three rounds with flooders: how much a flood costs the others swings with how many frames the
    // flooders get out before their close reaches them, which one round cannot show.
    flooders: [0, 4, 4, 4],
  });
  writeSection(
    file,
    'recovery',
    recoveryMarkdown({ audio, runs, listeners, storm, fanout }, machine, date, load),
  );
}

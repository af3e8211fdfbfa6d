import type { SrtpCryptoSuite } from '@dmp-party/protocol';
import type { FanoutLevel } from './run-fanout';

const fixed = (value: number, digits: number) => value.toFixed(digits);

/** Markdown for the fan-out results of each SRTP suite. */
export function fanoutMarkdown(
  runs: { suite: SrtpCryptoSuite; levels: FanoutLevel[] }[],
  machine: string,
  date: string,
  seconds: number,
): string {
  const lines = [
    '## Media node: SRTP fan-out of one 128 kbps Opus stream (issue #2)',
    '',
    `Measured ${date} on ${machine}.`,
    '',
    'One session, one producer (50 packets/s, 320-byte Opus payloads) and N consumers on PlainTransports',
    "with SRTP, all created through the media node's signed `/v1` API on a media node process with 2",
    'workers (default `MEDIA_NODE_MAX_CONSUMERS_PER_WORKER=1000`, so past 1,000 listeners spread over both',
    'workers through pipeToRouter). Consumers send to a separate C process that counts packets per SSRC',
    `(loss from sequence gaps). Each level: 5 s warm-up, then a ${seconds} s window. CPU is the workers'`,
    'user + system time; memory is worker RSS growth over the idle baseline.',
    '',
    'Target: 3,000 consumers on this 2-core machine under 0.5% loss.',
    '',
  ];
  for (const { suite, levels } of runs) {
    lines.push(
      `### ${suite}${suite === 'AEAD_AES_256_GCM' ? ' (what browsers negotiate with mediasoup)' : ''}`,
      '',
    );
    lines.push(
      '| consumers | worker CPU ms / consumer-s | consumers per core | worker cores busy | loss | packets received / expected | KB per consumer | worker RSS MB | consumers per worker | sink cores | machine cores busy |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
    );
    for (const level of levels) {
      lines.push(
        `| ${level.consumers} | ${fixed(level.cpuMsPerConsumerSecond, 3)} | ${level.consumersPerCore} | ${fixed(level.workerCores, 2)} | ${fixed(level.lossPercent, 3)}% | ${level.received} / ${level.expected} | ${fixed(level.kbPerConsumer, 1)} | ${fixed(level.workerRssMb, 1)} | ${level.consumersPerWorker.join(' / ')} | ${fixed(level.sinkCores, 2)} | ${fixed(level.machineBusyCores, 2)} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * Icecast, the streaming server behind most self-hosted radio (AzuraCast among them), as a peer
 * for the party benchmarks: Debian's `icecast2` with its own configuration in a temporary folder
 * on a free port, run as an unprivileged user (Icecast refuses root), and ffmpeg as the source
 * client feeding each mount from a file in real time, looped, as MP3 at 128 kbps. Pages served from
 * Icecast's own web root share its origin, so they can tap the stream's decoded audio.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages, isRoot } from './debian';
import { freeTcpPort } from './ports';
import { stopGroups } from './process-group';

export interface IcecastOptions {
  /** Mount name (without the slash) → the audio file ffmpeg loops into it. */
  mounts: Record<string, string>;
  /** Icecast's default: a new listener first gets the last `burstSize` bytes at once. */
  burstOnConnect: boolean;
  /** Bytes of burst (Icecast's default 65,535: about 4 s of 128 kbps MP3). */
  burstSize?: number;
  /** Files to put in the web root (name → content): pages on Icecast's origin. */
  pages?: Record<string, string>;
}

export interface IcecastServer {
  url: string;
  /** The wall-clock time (ms) each mount's source started sending its file's first second. */
  sourceStartedAt: Record<string, number>;
  stop(): Promise<void>;
}

const SOURCE_PASSWORD = 'bench-source';

function config(dir: string, port: number, options: IcecastOptions): string {
  return `<icecast>
  <limits>
    <clients>100</clients><sources>${Object.keys(options.mounts).length + 1}</sources>
    <queue-size>524288</queue-size><client-timeout>30</client-timeout>
    <header-timeout>15</header-timeout><source-timeout>10</source-timeout>
    <burst-on-connect>${options.burstOnConnect ? 1 : 0}</burst-on-connect>
    <burst-size>${options.burstOnConnect ? (options.burstSize ?? 65_535) : 0}</burst-size>
  </limits>
  <authentication>
    <source-password>${SOURCE_PASSWORD}</source-password>
    <admin-user>admin</admin-user><admin-password>${SOURCE_PASSWORD}</admin-password>
  </authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket><port>${port}</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <fileserve>1</fileserve>
  <paths>
    <basedir>${dir}</basedir><logdir>${dir}/log</logdir>
    <webroot>${dir}/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot>
    <pidfile>${dir}/icecast.pid</pidfile>
  </paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>2</loglevel></logging>
  <security><chroot>0</chroot></security>
</icecast>
`;
}

/** Resolves once `url` answers (any status), or fails after `timeoutMs`. */
async function waitForHttp(url: string, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answered = await fetch(url)
      .then(async (response) => {
        await response.body?.cancel();
        return response.ok;
      })
      .catch(() => false);
    if (answered) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${url})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The uid and gid of Debian's `icecast2` user, which runs the server when we are root. */
function icecastUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'icecast2'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * ffmpeg as a source client: `file` looped into `mount` in real time. Resolves with the wall-clock
 * time the file's start went out: from ffmpeg's progress reports (wall clock minus the stream time
 * sent so far; the smallest, since a report can only come late).
 */
function startSource(child: ChildProcess, reports: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let startedAt = Number.POSITIVE_INFINITY;
    let seen = 0;
    let buffered = '';
    child.once('exit', (code) => reject(new Error(`ffmpeg (Icecast source) exited with ${code}`)));
    child.stdout?.on('data', (data: Buffer) => {
      const now = Date.now();
      buffered += data.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^out_time_us=(\d+)/.exec(line);
        if (!match) continue;
        const sentUs = Number(match[1]);
        if (sentUs > 0) startedAt = Math.min(startedAt, now - sentUs / 1000);
        if (++seen === reports) resolve(startedAt);
      }
    });
  });
}

export async function startIcecast(options: IcecastOptions): Promise<IcecastServer> {
  ensureDebianPackages(['icecast2', 'ffmpeg'], 'The Icecast peer benchmark');
  const dir = mkdtempSync(join(tmpdir(), 'dmp-icecast-'));
  const processes: ChildProcess[] = [];
  const stop = async () => {
    await stopGroups(processes, 3000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    cpSync('/usr/share/icecast2/web', join(dir, 'web'), { recursive: true });
    for (const [name, content] of Object.entries(options.pages ?? {}))
      writeFileSync(join(dir, 'web', name), content);
    mkdirSync(join(dir, 'log'));
    const port = await freeTcpPort();
    writeFileSync(join(dir, 'icecast.xml'), config(dir, port, options));
    // Icecast will not run as root: as root, it runs as Debian's icecast2 user on its own folder.
    let command = ['icecast2', '-c', join(dir, 'icecast.xml')];
    if (isRoot()) {
      const { uid, gid } = icecastUser();
      chmodSync(dir, 0o755);
      for (const path of [dir, join(dir, 'log')]) chownSync(path, uid, gid);
      command = ['runuser', '-u', 'icecast2', '--', ...command];
    }
    processes.push(spawn(command[0] as string, command.slice(1), { stdio: 'ignore', detached: true }));
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/status-json.xsl`, 15_000, 'Icecast');
    const sourceStartedAt: Record<string, number> = {};
    for (const [mount, file] of Object.entries(options.mounts)) {
      const source = spawn(
        'ffmpeg',
        [
          ...['-hide_banner', '-loglevel', 'error', '-progress', 'pipe:1', '-stats_period', '0.05'],
          ...['-re', '-stream_loop', '-1', '-i', file],
          ...['-c:a', 'libmp3lame', '-b:a', '128k', '-content_type', 'audio/mpeg', '-f', 'mp3'],
          `icecast://source:${SOURCE_PASSWORD}@127.0.0.1:${port}/${mount}`,
        ],
        { stdio: ['ignore', 'pipe', 'ignore'], detached: true },
      );
      processes.push(source);
      sourceStartedAt[mount] = await startSource(source, 20);
      await waitForHttp(`${url}/status-json.xsl`, 15_000, `the ${mount} mount`);
    }
    return { url, sourceStartedAt, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

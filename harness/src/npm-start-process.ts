/**
 * `npm start` in `cwd` as a developer's terminal runs it: its own process group (SIGINT reaches all
 * of it), free ports for every service and the `npmStart` block of RTC ports, output collected.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { freeTcpPort, rtcPortBlock } from './ports';

export interface NpmStartProcess {
  child: ChildProcess;
  ports: { MEDIA_NODE_PORT: number; EDGE_PORT: number; APP_PORT: number; LISTENER_PORT: number };
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
}

export async function spawnNpmStart(cwd: string, env: NodeJS.ProcessEnv): Promise<NpmStartProcess> {
  const ports = {
    MEDIA_NODE_PORT: await freeTcpPort(),
    EDGE_PORT: await freeTcpPort(),
    APP_PORT: await freeTcpPort(),
    LISTENER_PORT: await freeTcpPort(),
  };
  const rtc = rtcPortBlock('npmStart');
  const child = spawn('npm', ['start'], {
    cwd,
    env: {
      ...env,
      ...Object.fromEntries(Object.entries(ports).map(([key, port]) => [key, String(port)])),
      MEDIASOUP_WORKERS: '1',
      RTC_MIN_PORT: String(rtc.min),
      RTC_MAX_PORT: String(rtc.max),
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return { child, ports, output: () => output };
}

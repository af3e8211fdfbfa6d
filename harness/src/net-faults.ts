/**
 * Network faults for tests and benchmarks, with nftables, in a table of their own: random loss or a
 * full block on packets that match only the caller's own ports (the media node's RTC port the test
 * started, a browser's own candidate port). `close()` deletes the table, so nothing of ours stays
 * in the ruleset; it also runs on process exit, should a test die first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { ensureDebianPackages, isRoot } from './debian';

/** Which UDP packets a rule applies to; every field given must match (leave none of them open-ended). */
export interface UdpMatch {
  /** Source address, e.g. the media node's listen IP (so a relay's re-sent copy is not matched twice). */
  saddr?: string;
  sport?: number;
  dport?: number;
}

let sequence = 0;

function nft(args: string[], input?: string): string {
  return execFileSync('nft', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

function matchExpression(match: UdpMatch): string {
  const parts = [
    match.saddr ? `ip saddr ${match.saddr}` : '',
    match.sport ? `udp sport ${match.sport}` : '',
    match.dport ? `udp dport ${match.dport}` : '',
  ].filter(Boolean);
  if (!parts.some((part) => part.startsWith('udp'))) throw new Error('a fault must name at least one port');
  return parts.join(' ');
}

export class NetFaults {
  /** Our own table: `dmp_party_<purpose>_<pid>_<n>`. */
  readonly table: string;
  #closed = false;
  readonly #onExit = () => this.close();
  /** Killed by a signal: remove our table, then die of that signal as we would have. */
  readonly #onSignal = (signal: NodeJS.Signals) => {
    this.close();
    process.kill(process.pid, signal);
  };

  private constructor(table: string) {
    this.table = table;
  }

  /** Creates the table (installs Debian's nftables first when missing; needs root). */
  static open(purpose: string): NetFaults {
    if (!isRoot()) throw new Error('network fault injection needs root (nftables)');
    if (spawnSync('nft', ['--version']).status !== 0) ensureDebianPackages(['nftables'], 'Network faults');
    const table = `dmp_party_${purpose.replace(/\W/g, '_')}_${process.pid}_${++sequence}`;
    // Output sees every packet a local process sends, loopback included.
    nft(
      ['-f', '-'],
      `table inet ${table} {\n  chain output { type filter hook output priority 0; policy accept; }\n}`,
    );
    const faults = new NetFaults(table);
    process.once('exit', faults.#onExit);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, faults.#onSignal);
    return faults;
  }

  /** Drops `percent` % of the matching packets at random (nftables' numgen, per packet). */
  dropRandomly(match: UdpMatch, percent: number): number {
    if (percent <= 0) return -1;
    const perMille = Math.round(percent * 10);
    return this.#add('output', `${matchExpression(match)} numgen random mod 1000 < ${perMille} counter drop`);
  }

  /** Drops every matching packet in both directions (sport and dport swapped for the way back). */
  block(match: UdpMatch): number[] {
    const back: UdpMatch = { sport: match.dport, dport: match.sport };
    return [
      this.#add('output', `${matchExpression(match)} drop`),
      this.#add('output', `${matchExpression(back)} drop`),
    ];
  }

  /** Packets a `dropRandomly` rule has dropped so far (its counter). */
  dropped(handle: number): number {
    const listing = nft(['--handle', 'list', 'chain', 'inet', this.table, 'output']);
    const line = listing.split('\n').find((text) => text.endsWith(`# handle ${handle}`));
    return Number(/counter packets (\d+)/.exec(line ?? '')?.[1] ?? 0);
  }

  /** Removes rules made by `dropRandomly` or `block`. */
  remove(...handles: number[]): void {
    for (const handle of handles.filter((value) => value >= 0))
      nft(['delete', 'rule', 'inet', this.table, 'output', 'handle', String(handle)]);
  }

  /** Removes every rule of ours (the table stays for more). */
  flush(): void {
    nft(['flush', 'chain', 'inet', this.table, 'output']);
  }

  /** Deletes our table and everything in it. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    process.off('exit', this.#onExit);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, this.#onSignal);
    spawnSync('nft', ['delete', 'table', 'inet', this.table]);
  }

  #add(chain: 'output', rule: string): number {
    const echoed = nft(['--echo', '--handle', 'add', 'rule', 'inet', this.table, chain, rule]);
    const handle = /# handle (\d+)/.exec(echoed)?.[1];
    if (!handle) throw new Error(`nft did not report a handle for: ${rule}`);
    return Number(handle);
  }
}

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Turns the machine's binary apt sources into deb-src entries for Debian's own archive only
 * (third-party repositories such as nodesource publish no sources and would fail the update).
 * With `type = 'deb'` it yields the machine's Debian archive entries themselves (for a chroot).
 */
export function debianSourceEntries(aptDir = '/etc/apt', type: 'deb' | 'deb-src' = 'deb-src'): string {
  const stanzas: string[] = [];
  const partsDir = join(aptDir, 'sources.list.d');
  const deb822Files = existsSync(partsDir)
    ? readdirSync(partsDir)
        .filter((name) => name.endsWith('.sources'))
        .map((name) => join(partsDir, name))
    : [];
  for (const file of deb822Files) {
    for (const stanza of readFileSync(file, 'utf8').split(/\n\s*\n/)) {
      if (!/^URIs:.*\/debian(-security)?\/?\s*$/m.test(stanza)) continue;
      if (!/^Types:.*\bdeb\b/m.test(stanza)) continue;
      stanzas.push(stanza.replace(/^Types:.*$/m, `Types: ${type}`).trim());
    }
  }
  const oneLineFile = join(aptDir, 'sources.list');
  const oneLineEntries = existsSync(oneLineFile)
    ? readFileSync(oneLineFile, 'utf8')
        .split('\n')
        .filter((line) => /^deb\s/.test(line) && /\/debian(-security)?\/?\s/.test(line))
        .map((line) => line.replace(/^deb\s/, `${type} `))
    : [];
  return [...stanzas, ...oneLineEntries].join('\n\n');
}

/**
 * Downloads Debian's libsrtp2 source package with a private apt state under `workDir` (no change to
 * the system's apt configuration, no root needed) and unpacks it, Debian patches applied, into
 * `destination`. mediasoup's meson then builds it with `crypto-library=openssl`, as mediasoup's own
 * build does; Debian's binary libsrtp2 uses NSS, measured ~3x slower for SRTP fan-out.
 */
export function unpackLibsrtpSource(
  workDir: string,
  destination: string,
  expectedVersion: string,
  log: (line: string) => void,
): void {
  const sourcesDir = join(workDir, 'sources.list.d');
  const listsDir = join(workDir, 'lists');
  const cacheDir = join(workDir, 'cache');
  const downloadDir = join(workDir, 'download');
  for (const dir of [sourcesDir, join(listsDir, 'partial'), join(cacheDir, 'archives', 'partial')]) {
    mkdirSync(dir, { recursive: true });
  }
  const entries = debianSourceEntries();
  if (!entries) {
    throw new Error('No Debian archive entry found in /etc/apt to derive deb-src entries from.');
  }
  writeFileSync(join(sourcesDir, 'debian-src.sources'), `${entries}\n`);
  const aptOptions = [
    '-o',
    'Dir::Etc::SourceList=/dev/null',
    '-o',
    `Dir::Etc::SourceParts=${sourcesDir}`,
    '-o',
    `Dir::State::Lists=${listsDir}`,
    '-o',
    `Dir::Cache=${cacheDir}`,
    // As root, apt drops to the _apt user, which cannot write into a private cache folder.
    ...(process.getuid?.() === 0 ? ['-o', 'APT::Sandbox::User=root'] : []),
  ];

  const haveDsc = () =>
    existsSync(downloadDir) && readdirSync(downloadDir).some((name) => /^libsrtp2_.*\.dsc$/.test(name));
  if (!haveDsc()) {
    log("downloading Debian's libsrtp2 source package");
    execFileSync('apt-get', [...aptOptions, '-q', 'update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    rmSync(downloadDir, { recursive: true, force: true });
    mkdirSync(downloadDir, { recursive: true });
    execFileSync('apt-get', [...aptOptions, '-q', 'source', '--download-only', 'libsrtp2'], {
      cwd: downloadDir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const dsc = readdirSync(downloadDir).find((name) => /^libsrtp2_.*\.dsc$/.test(name));
  if (!dsc) throw new Error("apt-get source did not produce libsrtp2's .dsc file");
  const debianVersion = /^libsrtp2_(.+)\.dsc$/.exec(dsc)?.[1] ?? '';
  if (!debianVersion.startsWith(`${expectedVersion}-`)) {
    throw new Error(
      `Debian's libsrtp2 source is ${debianVersion}; mediasoup's wrap expects ${expectedVersion}.`,
    );
  }

  const unpacked = join(workDir, 'unpacked');
  rmSync(unpacked, { recursive: true, force: true });
  const result = spawnSync('dpkg-source', ['-x', join(downloadDir, dsc), unpacked], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`dpkg-source failed:\n${result.stderr}`);
  rmSync(destination, { recursive: true, force: true });
  cpSync(unpacked, destination, { recursive: true });
  rmSync(unpacked, { recursive: true, force: true });
}

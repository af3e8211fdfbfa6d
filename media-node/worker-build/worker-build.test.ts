import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { mediasoupPackageDir, workerCacheKey, workerCacheRoot } from '../src/worker-location';
import { assertOpenSslSrtp } from './build-worker';
import { debianSourceEntries } from './libsrtp-source';
import { unhandledWraps, wrapDirectory, writeSubprojectShims } from './subproject-shims';
import { BUILD_PACKAGES, missingDebianPackages } from './system-requirements';

describe('the worker binary used by the tests', () => {
  it('links libsrtp statically on OpenSSL: no shared libsrtp, no NSS', () => {
    const binary = inject('workerBinary');
    expect(() => assertOpenSslSrtp(binary)).not.toThrow();
    const ldd = spawnSync('ldd', [binary], { encoding: 'utf8' }).stdout;
    expect(ldd).toMatch(/libcrypto\.so/);
    expect(ldd).not.toMatch(/libsrtp|libnss/);
  });

  it('contains libsrtp 2.5.0 compiled in', () => {
    const strings = readFileSync(inject('workerBinary')).toString('latin1');
    expect(strings).toContain('libsrtp2 2.5.0');
  });
});

describe('worker cache location', () => {
  it('is keyed by mediasoup version and recipe, outside the clone by default', () => {
    expect(workerCacheKey('3.12.16')).toMatch(/^3\.12\.16-openssl-srtp-r\d+$/);
    expect(workerCacheRoot({ XDG_CACHE_HOME: '/c' })).toBe('/c/dmp-party/mediasoup-worker');
    expect(workerCacheRoot({ MEDIASOUP_WORKER_CACHE_DIR: '/x' })).toBe('/x');
  });
});

describe('subproject shims', () => {
  it('cover every wrap of the installed mediasoup except the ones built from source', () => {
    const subprojects = join(mediasoupPackageDir(), 'worker', 'subprojects');
    expect(unhandledWraps(subprojects, ['libsrtp2'])).toEqual([]);
    expect(wrapDirectory(subprojects, 'libsrtp2')).toBe('libsrtp-2.5.0');
  });

  it('declare the options worker/meson.build passes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shims-'));
    for (const name of ['openssl', 'libuv', 'usrsctp', 'abseil-cpp', 'nlohmann_json', 'catch2']) {
      writeFileSync(join(dir, `${name}.wrap`), `[wrap-file]\ndirectory = ${name}-dir\n`);
    }
    writeSubprojectShims(dir);
    expect(readFileSync(join(dir, 'libuv-dir', 'meson_options.txt'), 'utf8')).toContain(
      "option('build_tests'",
    );
    expect(readFileSync(join(dir, 'abseil-cpp-dir', 'meson.build'), 'utf8')).toContain('absl_types_dep');
  });
});

describe('deb-src entries', () => {
  it("derive from Debian's archive entries only", () => {
    const apt = mkdtempSync(join(tmpdir(), 'apt-'));
    mkdirSync(join(apt, 'sources.list.d'));
    writeFileSync(
      join(apt, 'sources.list.d', 'debian.sources'),
      'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\n\nTypes: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\nComponents: main\n',
    );
    writeFileSync(
      join(apt, 'sources.list.d', 'nodesource.sources'),
      'Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\nComponents: main\n',
    );
    const entries = debianSourceEntries(apt);
    expect(entries.match(/Types: deb-src/g)).toHaveLength(2);
    expect(entries).not.toContain('nodesource');
  });
});

describe('Debian package check', () => {
  it('reports packages dpkg does not have, and none of the installed build packages', () => {
    expect(missingDebianPackages(['dmp-party-no-such-package', 'dpkg'])).toEqual([
      'dmp-party-no-such-package',
    ]);
    expect(missingDebianPackages(BUILD_PACKAGES)).toEqual([]);
  });
});

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
    bundledServerPath,
    describeChoice,
    expandPath,
    looksLikePath,
    pathDirectories,
    pathExtensions,
    resolveServerPath,
    withExtensions,
} from '../src/serverPath';

/** A fake file system: the set of paths that exist and are executable. */
function fakeFs(...files: string[]) {
    const set = new Set(files);
    return (file: string) => set.has(file);
}

describe('expandPath', () => {
    it('expands a lone ~ and a leading ~/', () => {
        assert.equal(expandPath('~', '/home/li', undefined, 'linux'), '/home/li');
        assert.equal(expandPath('~/bin/jianggao', '/home/li', undefined, 'linux'), '/home/li/bin/jianggao');
    });
    it('does not touch ~ elsewhere or ~user', () => {
        assert.equal(expandPath('/opt/~/jianggao', '/home/li', undefined, 'linux'), '/opt/~/jianggao');
        assert.equal(expandPath('~wang/jianggao', '/home/li', undefined, 'linux'), '~wang/jianggao');
    });
    it('expands ~\\ only on Windows', () => {
        assert.equal(expandPath('~\\bin\\jianggao.exe', 'C:\\Users\\li', undefined, 'win32'), 'C:\\Users\\li\\bin\\jianggao.exe');
        assert.equal(expandPath('~\\x', '/home/li', undefined, 'linux'), '~\\x');
    });
    it('expands ${userHome} and ${workspaceFolder}', () => {
        assert.equal(expandPath('${userHome}/.cargo/bin/jianggao', '/home/li', undefined, 'linux'), '/home/li/.cargo/bin/jianggao');
        assert.equal(expandPath('${workspaceFolder}/target/release/jianggao', '/home/li', '/w/speech', 'linux'), '/w/speech/target/release/jianggao');
    });
});

describe('looksLikePath', () => {
    it('treats bare names as commands', () => {
        assert.equal(looksLikePath('jianggao', 'linux'), false);
        assert.equal(looksLikePath('jianggao.exe', 'win32'), false);
    });
    it('treats absolute paths and paths with separators as paths', () => {
        assert.equal(looksLikePath('/usr/bin/jianggao', 'linux'), true);
        assert.equal(looksLikePath('bin/jianggao', 'linux'), true);
        assert.equal(looksLikePath('C:\\tools\\jianggao.exe', 'win32'), true);
        assert.equal(looksLikePath('tools\\jianggao', 'win32'), true);
        assert.equal(looksLikePath('tools\\jianggao', 'linux'), false);
    });
});

describe('PATH and PATHEXT parsing', () => {
    it('splits PATH with the platform delimiter and drops empty entries', () => {
        assert.deepEqual(pathDirectories({ PATH: '/a::/b:' }, 'linux'), ['/a', '/b']);
        assert.deepEqual(pathDirectories({ Path: 'C:\\a;;"C:\\Program Files\\b";' }, 'win32'), ['C:\\a', 'C:\\Program Files\\b']);
    });
    it('reads PATH case-insensitively on Windows only', () => {
        assert.deepEqual(pathDirectories({ Path: '/a' }, 'linux'), []);
        assert.deepEqual(pathDirectories({ pAtH: 'C:\\x' }, 'win32'), ['C:\\x']);
    });
    it('normalises PATHEXT and has a default', () => {
        assert.deepEqual(pathExtensions({ PATHEXT: '.COM;.EXE;cmd;' }, 'win32'), ['.com', '.exe', '.cmd']);
        assert.deepEqual(pathExtensions({}, 'win32'), ['.com', '.exe', '.bat', '.cmd']);
        assert.deepEqual(pathExtensions({ PATHEXT: '.EXE' }, 'linux'), []);
    });
    it('appends extensions only when the name has no executable extension', () => {
        assert.deepEqual(withExtensions('C:\\b\\jianggao', ['.exe', '.cmd'], 'win32'), ['C:\\b\\jianggao.exe', 'C:\\b\\jianggao.cmd']);
        assert.deepEqual(withExtensions('C:\\b\\jianggao.EXE', ['.exe', '.cmd'], 'win32'), ['C:\\b\\jianggao.EXE']);
        assert.deepEqual(withExtensions('C:\\b\\jianggao.v2', ['.exe'], 'win32'), ['C:\\b\\jianggao.v2.exe']);
        assert.deepEqual(withExtensions('/b/jianggao', ['.exe'], 'linux'), ['/b/jianggao']);
    });
});

describe('resolveServerPath (simulated file systems)', () => {
    const linux = { platform: 'linux' as const, homedir: '/home/li' };

    it('finds the default command on PATH, first match wins', () => {
        const r = resolveServerPath({
            ...linux,
            env: { PATH: '/usr/local/bin:/home/li/.cargo/bin:/usr/bin' },
            isExecutable: fakeFs('/home/li/.cargo/bin/jianggao', '/usr/bin/jianggao'),
        });
        assert.equal(r.found, true);
        assert.ok(r.found);
        assert.equal(r.path, '/home/li/.cargo/bin/jianggao');
        assert.equal(r.source, 'path');
        assert.deepEqual(r.tried, ['/usr/local/bin/jianggao', '/home/li/.cargo/bin/jianggao']);
    });

    it('treats an empty or blank setting as the default', () => {
        for (const setting of [undefined, null, '', '   ']) {
            const r = resolveServerPath({ ...linux, setting, env: { PATH: '/usr/bin' }, isExecutable: fakeFs('/usr/bin/jianggao') });
            assert.ok(r.found);
            assert.equal(r.path, '/usr/bin/jianggao');
        }
    });

    it('uses an absolute path from the setting without searching PATH', () => {
        const r = resolveServerPath({
            ...linux,
            setting: '/opt/jianggao/bin/jianggao',
            env: { PATH: '/usr/bin' },
            isExecutable: fakeFs('/opt/jianggao/bin/jianggao', '/usr/bin/jianggao'),
        });
        assert.ok(r.found);
        assert.equal(r.path, '/opt/jianggao/bin/jianggao');
        assert.equal(r.source, 'setting');
    });

    it('expands ~ in the setting', () => {
        const r = resolveServerPath({ ...linux, setting: '~/.cargo/bin/jianggao', env: {}, isExecutable: fakeFs('/home/li/.cargo/bin/jianggao') });
        assert.ok(r.found);
        assert.equal(r.path, '/home/li/.cargo/bin/jianggao');
    });

    it('resolves a relative path against the workspace folder', () => {
        const r = resolveServerPath({
            ...linux,
            setting: './target/release/jianggao',
            workspaceFolder: '/w/jianggao',
            env: {},
            isExecutable: fakeFs('/w/jianggao/target/release/jianggao'),
        });
        assert.ok(r.found);
        assert.equal(r.path, '/w/jianggao/target/release/jianggao');
    });

    it('reports a missing explicit path and does not fall back', () => {
        const r = resolveServerPath({
            ...linux,
            setting: '/nope/jianggao',
            extensionPath: '/ext',
            env: { PATH: '/usr/bin' },
            isExecutable: fakeFs('/usr/bin/jianggao', '/ext/server/jianggao'),
        });
        assert.equal(r.found, false);
        assert.ok(!r.found);
        assert.equal(r.reason, 'explicit-path');
        assert.equal(r.requested, '/nope/jianggao');
        assert.deepEqual(r.tried, ['/nope/jianggao']);
    });

    it('uses the bundled server when the setting is at its default and nothing is on PATH', () => {
        const r = resolveServerPath({
            ...linux,
            extensionPath: '/ext',
            env: { PATH: '/usr/bin' },
            isExecutable: fakeFs('/ext/server/jianggao'),
        });
        assert.ok(r.found);
        assert.equal(r.source, 'bundled');
        assert.equal(r.path, '/ext/server/jianggao');
        assert.equal(r.defaultSetting, true);
        assert.deepEqual(r.tried, ['/ext/server/jianggao']);
    });

    it('prefers the bundled server over PATH when the setting is at its default', () => {
        for (const setting of [undefined, '', 'jianggao', ' jianggao ']) {
            const r = resolveServerPath({
                ...linux,
                setting,
                extensionPath: '/ext',
                env: { PATH: '/usr/bin' },
                isExecutable: fakeFs('/usr/bin/jianggao', '/ext/server/jianggao'),
            });
            assert.ok(r.found);
            assert.equal(r.source, 'bundled', `setting ${JSON.stringify(setting)}`);
            assert.equal(r.path, '/ext/server/jianggao');
        }
    });

    it('uses PATH when the extension has no bundled server (universal package)', () => {
        const r = resolveServerPath({
            ...linux,
            extensionPath: '/ext',
            env: { PATH: '/usr/bin' },
            isExecutable: fakeFs('/usr/bin/jianggao'),
        });
        assert.ok(r.found);
        assert.equal(r.source, 'path');
        assert.deepEqual(r.tried, ['/ext/server/jianggao', '/usr/bin/jianggao']);
    });

    it('a custom command name prefers PATH, then the bundled server', () => {
        const both = resolveServerPath({
            ...linux,
            setting: 'jianggao-nightly',
            extensionPath: '/ext',
            env: { PATH: '/usr/bin' },
            isExecutable: fakeFs('/usr/bin/jianggao-nightly', '/ext/server/jianggao'),
        });
        assert.ok(both.found);
        assert.equal(both.source, 'path');
        assert.equal(both.defaultSetting, false);
        const bundledOnly = resolveServerPath({
            ...linux,
            setting: 'jianggao-nightly',
            extensionPath: '/ext',
            env: { PATH: '/usr/bin' },
            isExecutable: fakeFs('/ext/server/jianggao'),
        });
        assert.ok(bundledOnly.found);
        assert.equal(bundledOnly.source, 'bundled');
        assert.deepEqual(bundledOnly.tried, ['/usr/bin/jianggao-nightly', '/ext/server/jianggao']);
    });

    it('an explicit path wins over the bundled server', () => {
        const r = resolveServerPath({
            ...linux,
            setting: '/opt/jianggao',
            extensionPath: '/ext',
            env: {},
            isExecutable: fakeFs('/opt/jianggao', '/ext/server/jianggao'),
        });
        assert.ok(r.found);
        assert.equal(r.source, 'setting');
        assert.equal(r.path, '/opt/jianggao');
    });

    it('reports not-on-path with everything it tried', () => {
        const r = resolveServerPath({ ...linux, extensionPath: '/ext', env: { PATH: '/a:/b' }, isExecutable: fakeFs() });
        assert.ok(!r.found);
        assert.equal(r.reason, 'not-on-path');
        assert.equal(r.requested, 'jianggao');
        assert.deepEqual(r.tried, ['/ext/server/jianggao', '/a/jianggao', '/b/jianggao']);
    });

    it('looks up a custom command name on PATH', () => {
        const r = resolveServerPath({ ...linux, setting: 'jianggao-nightly', env: { PATH: '/usr/bin' }, isExecutable: fakeFs('/usr/bin/jianggao-nightly') });
        assert.ok(r.found);
        assert.equal(r.path, '/usr/bin/jianggao-nightly');
    });
});

describe('resolveServerPath on Windows (simulated)', () => {
    const win = { platform: 'win32' as const, homedir: 'C:\\Users\\li' };

    it('uses PATHEXT to find jianggao.exe on Path', () => {
        const r = resolveServerPath({
            ...win,
            env: { Path: 'C:\\Windows;C:\\Users\\li\\.cargo\\bin', PATHEXT: '.COM;.EXE;.BAT;.CMD' },
            isExecutable: fakeFs('C:\\Users\\li\\.cargo\\bin\\jianggao.exe'),
        });
        assert.ok(r.found);
        assert.equal(r.path, 'C:\\Users\\li\\.cargo\\bin\\jianggao.exe');
        assert.deepEqual(r.tried.slice(0, 4), ['C:\\Windows\\jianggao.com', 'C:\\Windows\\jianggao.exe', 'C:\\Windows\\jianggao.bat', 'C:\\Windows\\jianggao.cmd']);
    });

    it('respects PATHEXT order (.cmd shim before .exe when listed first)', () => {
        const r = resolveServerPath({
            ...win,
            env: { PATH: 'C:\\tools', PATHEXT: '.CMD;.EXE' },
            isExecutable: fakeFs('C:\\tools\\jianggao.exe', 'C:\\tools\\jianggao.cmd'),
        });
        assert.ok(r.found);
        assert.equal(r.path, 'C:\\tools\\jianggao.cmd');
    });

    it('completes an explicit path without extension', () => {
        const r = resolveServerPath({
            ...win,
            setting: 'D:\\jianggao\\jianggao',
            env: { PATHEXT: '.EXE' },
            isExecutable: fakeFs('D:\\jianggao\\jianggao.exe'),
        });
        assert.ok(r.found);
        assert.equal(r.path, 'D:\\jianggao\\jianggao.exe');
        assert.equal(r.source, 'setting');
    });

    it('accepts forward slashes and ~ in a Windows setting', () => {
        const r = resolveServerPath({
            ...win,
            setting: '~/bin/jianggao.exe',
            env: {},
            isExecutable: fakeFs('C:\\Users\\li\\bin\\jianggao.exe'),
        });
        assert.ok(r.found);
        assert.equal(r.path, 'C:\\Users\\li\\bin\\jianggao.exe');
    });

    it('falls back to server\\jianggao.exe inside the extension', () => {
        assert.equal(bundledServerPath('C:\\ext', 'win32'), 'C:\\ext\\server\\jianggao.exe');
        const r = resolveServerPath({
            ...win,
            extensionPath: 'C:\\ext',
            env: { PATH: 'C:\\Windows' },
            isExecutable: fakeFs('C:\\ext\\server\\jianggao.exe'),
        });
        assert.ok(r.found);
        assert.equal(r.source, 'bundled');
    });
});

describe('resolveServerPath on the real file system', { skip: process.platform === 'win32' }, () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jianggao-path-'));
        for (const sub of ['bin1', 'bin2', 'ext/server']) {
            fs.mkdirSync(path.join(dir, sub), { recursive: true });
        }
        // bin1/jianggao exists but is not executable; bin2/jianggao is.
        fs.writeFileSync(path.join(dir, 'bin1', 'jianggao'), '#!/bin/sh\necho no\n', { mode: 0o644 });
        fs.writeFileSync(path.join(dir, 'bin2', 'jianggao'), '#!/bin/sh\necho "jianggao $*"\n', { mode: 0o755 });
        fs.mkdirSync(path.join(dir, 'bin1', 'jianggao-dir'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('skips non-executable files and finds a runnable server', () => {
        const r = resolveServerPath({ platform: 'linux', env: { PATH: `${dir}/bin1:${dir}/bin2` }, homedir: dir });
        assert.ok(r.found);
        assert.equal(r.path, path.join(dir, 'bin2', 'jianggao'));
        assert.equal(execFileSync(r.path, ['lsp'], { encoding: 'utf8' }).trim(), 'jianggao lsp');
    });

    it('does not accept a directory', () => {
        const r = resolveServerPath({ platform: 'linux', setting: `${dir}/bin1/jianggao-dir`, env: {}, homedir: dir });
        assert.equal(r.found, false);
    });

    it('finds the bundled binary in a real extension folder', () => {
        fs.writeFileSync(path.join(dir, 'ext', 'server', 'jianggao'), '#!/bin/sh\n', { mode: 0o755 });
        const r = resolveServerPath({ platform: 'linux', env: { PATH: '' }, extensionPath: path.join(dir, 'ext'), homedir: dir });
        assert.ok(r.found);
        assert.equal(r.source, 'bundled');
    });
});

describe('describeChoice (output channel line)', () => {
    const base = { found: true as const, tried: [], requested: 'jianggao' };
    it('says the bundled server was used because the setting is at its default', () => {
        const text = describeChoice({ ...base, path: '/ext/server/jianggao', source: 'bundled', defaultSetting: true });
        assert.match(text, /扩展自带/);
        assert.match(text, /bundled with this extension \(jianggao\.server\.path is at its default\)/);
    });
    it('says PATH was used because the package has no bundled server', () => {
        const text = describeChoice({ ...base, path: '/usr/bin/jianggao', source: 'path', defaultSetting: true });
        assert.match(text, /found on PATH \(this extension package has no bundled server/);
    });
    it('names a custom command and an explicit path', () => {
        assert.match(describeChoice({ ...base, requested: 'jg', path: '/usr/bin/jg', source: 'path', defaultSetting: false }), /"jg", found on PATH/);
        assert.match(describeChoice({ ...base, requested: 'jg', path: '/ext/server/jianggao', source: 'bundled', defaultSetting: false }), /"jg" is not on PATH/);
        assert.match(describeChoice({ ...base, requested: '/opt/jg', path: '/opt/jg', source: 'setting', defaultSetting: false }), /the file set in jianggao\.server\.path = "\/opt\/jg"/);
    });
});

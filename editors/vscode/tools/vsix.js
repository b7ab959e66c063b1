#!/usr/bin/env node
'use strict';
// Reads and checks a packaged .vsix (a zip archive) without extra dependencies.
//
//   node tools/vsix.js check VSIX --target TARGET --version VERSION [--static] [--run]
//   node tools/vsix.js extract VSIX DIR
//
// `check` verifies what a writer installs: the manifest's target platform, the
// extension version, the bundled server `extension/server/jianggao[.exe]` (present,
// executable, built for TARGET's operating system and processor, statically linked
// with --static) or its absence in the universal package; with --run it extracts the
// package the way VS Code does and runs the bundled server's `--version`.
// `extract` unpacks the `extension/` folder with the file modes VS Code applies on
// installation (used by the end-to-end test of the bundled server).

const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { execFileSync } = require('child_process');

const TARGETS = {
    'win32-x64': { format: 'pe', arch: 'x64' },
    'darwin-arm64': { format: 'macho', arch: 'arm64' },
    'darwin-x64': { format: 'macho', arch: 'x64' },
    'linux-x64': { format: 'elf', arch: 'x64' },
    'linux-arm64': { format: 'elf', arch: 'arm64' },
};

/** The entries of a zip archive, from its central directory. */
function entries(buf) {
    const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
    const count = buf.readUInt16LE(eocd + 10);
    let off = buf.readUInt32LE(eocd + 16);
    const list = [];
    for (let i = 0; i < count; i++) {
        if (buf.readUInt32LE(off) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
        const nameLen = buf.readUInt16LE(off + 28);
        const extraLen = buf.readUInt16LE(off + 30);
        const commentLen = buf.readUInt16LE(off + 32);
        list.push({
            name: buf.toString('utf8', off + 46, off + 46 + nameLen),
            madeBy: buf.readUInt8(off + 5), // 3 = Unix: the upper 16 bits of the attributes are a mode
            method: buf.readUInt16LE(off + 10),
            compressedSize: buf.readUInt32LE(off + 20),
            size: buf.readUInt32LE(off + 24),
            attributes: buf.readUInt32LE(off + 38),
            localOffset: buf.readUInt32LE(off + 42),
        });
        off += 46 + nameLen + extraLen + commentLen;
    }
    return list;
}

function contents(buf, entry) {
    const local = entry.localOffset;
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header for ${entry.name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + entry.compressedSize);
    if (entry.method === 0) return raw;
    if (entry.method === 8) return zlib.inflateRawSync(raw);
    throw new Error(`unsupported compression method ${entry.method} for ${entry.name}`);
}

/** The file mode VS Code gives an extracted entry (src/vs/base/node/zip.ts: modeFromEntry). */
function modeOf(entry) {
    const attr = (entry.attributes >>> 16) || 0o100644;
    return (attr & 0o170000) | (attr & 0o700) | (attr & 0o070) | (attr & 0o007);
}

/** Operating-system format, processor and static linking of an executable's header. */
function machineOf(bin) {
    if (bin.length > 64 && bin.readUInt32BE(0) === 0x7f454c46) {
        const machine = bin.readUInt16LE(18);
        const phoff = Number(bin.readBigUInt64LE(32));
        const phentsize = bin.readUInt16LE(54);
        const phnum = bin.readUInt16LE(56);
        let interpreter = false; // PT_INTERP: a dynamic loader is needed
        for (let i = 0; i < phnum; i++) {
            if (bin.readUInt32LE(phoff + i * phentsize) === 3) interpreter = true;
        }
        return { format: 'elf', arch: machine === 0x3e ? 'x64' : machine === 0xb7 ? 'arm64' : `elf-machine-${machine}`, static: !interpreter };
    }
    if (bin.length > 8 && bin.readUInt32LE(0) === 0xfeedfacf) {
        const cpu = bin.readUInt32LE(4);
        return { format: 'macho', arch: cpu === 0x01000007 ? 'x64' : cpu === 0x0100000c ? 'arm64' : `macho-cpu-${cpu}`, static: false };
    }
    if (bin.length > 0x40 && bin.toString('latin1', 0, 2) === 'MZ') {
        const pe = bin.readUInt32LE(0x3c);
        if (bin.toString('latin1', pe, pe + 4) === 'PE\0\0') {
            const machine = bin.readUInt16LE(pe + 4);
            return { format: 'pe', arch: machine === 0x8664 ? 'x64' : machine === 0xaa64 ? 'arm64' : `pe-machine-${machine}`, static: false };
        }
    }
    return { format: 'unknown', arch: 'unknown', static: false };
}

/** Unpack the `extension/` folder of a .vsix into dir; returns dir/extension. */
function extract(vsix, dir) {
    const buf = fs.readFileSync(vsix);
    for (const entry of entries(buf)) {
        if (!entry.name.startsWith('extension/') || entry.name.endsWith('/')) continue;
        const target = path.join(dir, entry.name);
        if (!target.startsWith(path.join(dir, 'extension') + path.sep)) throw new Error(`entry outside the folder: ${entry.name}`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, contents(buf, entry), { mode: modeOf(entry) & 0o7777 });
        fs.chmodSync(target, modeOf(entry) & 0o7777);
    }
    return path.join(dir, 'extension');
}

/** The VS Code platform of this machine, or undefined. */
function hostTarget() {
    const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
    const platform = { linux: 'linux', darwin: 'darwin', win32: 'win32' }[process.platform];
    return arch && platform ? `${platform}-${arch}` : undefined;
}

function check(vsix, { target, version, requireStatic, run }) {
    const problems = [];
    const buf = fs.readFileSync(vsix);
    const list = entries(buf);
    const byName = new Map(list.map((e) => [e.name, e]));
    const manifest = byName.get('extension.vsixmanifest');
    if (!manifest) throw new Error('no extension.vsixmanifest');
    const xml = contents(buf, manifest).toString('utf8');
    const platform = (xml.match(/TargetPlatform="([^"]+)"/) || [])[1];
    const universal = target === 'universal';
    if (universal ? platform !== undefined : platform !== target) {
        problems.push(`manifest TargetPlatform is ${platform ?? '(none)'}, expected ${universal ? '(none)' : target}`);
    }
    const pkg = JSON.parse(contents(buf, byName.get('extension/package.json')).toString('utf8'));
    if (pkg.version !== version) problems.push(`extension version ${pkg.version}, expected ${version}`);

    const servers = list.filter((e) => e.name.startsWith('extension/server/'));
    const notes = [`${list.length} files, ${fs.statSync(vsix).size} bytes`];
    if (universal) {
        if (servers.length) problems.push(`the universal package must not carry a server: ${servers.map((e) => e.name).join(', ')}`);
    } else {
        const want = TARGETS[target];
        if (!want) throw new Error(`unknown target ${target}`);
        const name = `extension/server/${target.startsWith('win32') ? 'jianggao.exe' : 'jianggao'}`;
        const entry = byName.get(name);
        const extra = servers.filter((e) => e !== entry).map((e) => e.name);
        if (extra.length) problems.push(`unexpected files in server/: ${extra.join(', ')}`);
        if (!entry) {
            problems.push(`no ${name} in the package`);
        } else {
            const mode = modeOf(entry);
            if (!target.startsWith('win32') && (entry.madeBy !== 3 || (mode & 0o111) !== 0o111)) {
                problems.push(`${name} is not executable once installed (mode ${(mode & 0o7777).toString(8)}, made by ${entry.madeBy})`);
            }
            const bin = contents(buf, entry);
            const got = machineOf(bin);
            if (got.format !== want.format || got.arch !== want.arch) {
                problems.push(`${name} is a ${got.format}/${got.arch} executable, ${target} needs ${want.format}/${want.arch}`);
            }
            if (requireStatic && want.format === 'elf' && !got.static) problems.push(`${name} is dynamically linked (has an ELF interpreter)`);
            notes.push(`server ${name.slice('extension/'.length)}: ${bin.length} bytes, ${got.format}/${got.arch}${got.format === 'elf' ? (got.static ? ', static' : ', dynamic') : ''}, mode ${(mode & 0o7777).toString(8)}`);
            if (run && !problems.length) {
                if (hostTarget() !== target) {
                    notes.push(`--version not run: this machine is ${hostTarget()}, the server is for ${target}`);
                } else {
                    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jianggao-vsix-'));
                    try {
                        const server = path.join(extract(vsix, dir), name.slice('extension/'.length));
                        const out = execFileSync(server, ['--version'], { encoding: 'utf8', timeout: 30000 }).trim();
                        const expected = `jianggao ${version} (knowledge base `;
                        if (!out.startsWith(expected)) problems.push(`server --version printed ${JSON.stringify(out)}, expected it to start with ${JSON.stringify(expected)}`);
                        notes.push(`server --version: ${out}`);
                    } finally {
                        fs.rmSync(dir, { recursive: true, force: true });
                    }
                }
            }
        }
    }
    return { problems, notes };
}

function main(argv) {
    const [command, vsix, ...rest] = argv;
    if (command === 'extract' && vsix && rest[0]) {
        console.log(extract(vsix, path.resolve(rest[0])));
        return 0;
    }
    if (command === 'check' && vsix) {
        const opt = (name) => { const i = rest.indexOf(name); return i >= 0 ? rest[i + 1] : undefined; };
        const target = opt('--target');
        const version = opt('--version');
        if (!target || !version) throw new Error('check needs --target and --version');
        const { problems, notes } = check(vsix, { target, version, requireStatic: rest.includes('--static'), run: rest.includes('--run') });
        for (const n of notes) console.log(`  ${n}`);
        for (const p of problems) console.error(`  PROBLEM: ${p}`);
        return problems.length ? 1 : 0;
    }
    console.error('usage: vsix.js check VSIX --target TARGET --version VERSION [--static] [--run] | vsix.js extract VSIX DIR');
    return 2;
}

module.exports = { entries, contents, modeOf, machineOf, extract, hostTarget, check, TARGETS };

if (require.main === module) {
    try {
        process.exitCode = main(process.argv.slice(2));
    } catch (e) {
        console.error(`vsix.js: ${e.message}`);
        process.exitCode = 1;
    }
}

#!/usr/bin/env node
'use strict';
// The packaged extension as a writer installs it: unpacks a .vsix the way VS Code
// does (file modes included), loads the extension's own compiled code and its own
// node_modules from the package, calls activate() with the headless `vscode` stub
// and default settings, and checks which server binary it started.
//
//   node bundled-extension.js VSIX FIXTURE                 # platform package: expects server/jianggao
//   node bundled-extension.js VSIX FIXTURE --expect path   # universal package: expects $JIANGGAO_BIN via PATH
//
// Every folder that holds a `jianggao` is first removed from PATH, so in the
// first form nothing but the bundled server can be started; in the second a
// scratch folder with `jianggao` → $JIANGGAO_BIN is put on PATH. The checks:
// the extension's output channel names the binary and the reason, the child
// process it spawned really is that file (/proc/PID/exe), the server answers
// (diagnostics, the extension's statistics command), and deactivate() stops it.
// Prints PASS/FAIL lines like headless-client.js.

const fs = require('fs');
const os = require('os');
const path = require('path');
const { vscode, FakeDocument, withTimeout, waitForDiagnostics } = require('./headless-client');
const vsixTools = require('../../vscode/tools/vsix');

const results = [];
async function test(name, fn) {
    try {
        const note = await fn();
        results.push(true);
        console.log(`PASS vsix: ${name}${note ? ' (' + note + ')' : ''}`);
    } catch (e) {
        results.push(false);
        console.log(`FAIL vsix: ${name}: ${e && e.message ? e.message : e}`);
    }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }

/** Processes whose parent is this one, with the file each is running. */
function children() {
    const list = [];
    for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
        try {
            const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
            const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            if (ppid === process.pid) list.push({ pid: Number(pid), exe: fs.readlinkSync(`/proc/${pid}/exe`) });
        } catch {
            // the process ended while we looked
        }
    }
    return list;
}

/** Every PATH entry that has a `jianggao` in it. */
function jianggaoOnPath(pathValue) {
    return pathValue.split(path.delimiter).filter((d) => d && fs.existsSync(path.join(d, 'jianggao')));
}

async function waitFor(predicate, what, ms) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
        if (predicate()) return;
        await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out after ${ms} ms: ${what}`);
}

async function main() {
    const args = process.argv.slice(2);
    const expectIndex = args.indexOf('--expect');
    const expect = expectIndex >= 0 ? args.splice(expectIndex, 2)[1] : 'bundled';
    const [vsix, fixture] = args;
    if (!vsix || !fixture || !['bundled', 'path'].includes(expect)) {
        console.error('usage: bundled-extension.js VSIX FIXTURE [--expect bundled|path]');
        return 2;
    }
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'jianggao-vsix-e2e-'));
    try {
        return await run(path.resolve(vsix), fixture, expect, scratch);
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

async function run(vsix, fixture, expect, scratch) {
    const extDir = vsixTools.extract(vsix, path.join(scratch, 'installed'));
    const removed = jianggaoOnPath(process.env.PATH || '');
    let searchPath = (process.env.PATH || '').split(path.delimiter).filter((d) => !removed.includes(d));
    let expected;
    if (expect === 'bundled') {
        expected = path.join(extDir, 'server', 'jianggao');
    } else {
        const bin = process.env.JIANGGAO_BIN;
        assert(bin && fs.existsSync(bin), 'set JIANGGAO_BIN to the server for --expect path');
        const binDir = path.join(scratch, 'bin');
        fs.mkdirSync(binDir);
        fs.symlinkSync(path.resolve(bin), path.join(binDir, 'jianggao'));
        searchPath = [binDir, ...searchPath];
        expected = path.join(binDir, 'jianggao');
    }
    // The extension and the server it spawns both see this PATH.
    process.env.PATH = searchPath.join(path.delimiter);
    const label = `${path.basename(vsix)}, ${expect === 'bundled' ? 'bundled server' : 'server on PATH'}`;

    await test(`${label}: PATH holds ${expect === 'bundled' ? 'no jianggao' : 'only the scratch jianggao'}`, async () => {
        const left = jianggaoOnPath(process.env.PATH);
        assert(expect === 'bundled' ? left.length === 0 : left.length === 1 && left[0] === path.dirname(expected), `jianggao still on PATH in ${left.join(', ')}`);
        return removed.length ? `removed ${removed.join(', ')}` : 'none was there';
    });

    // The extension's own compiled code and dependencies, from the package.
    const extension = require(path.join(extDir, 'out', 'src', 'extension.js'));
    const context = { subscriptions: [], extensionPath: extDir, extensionUri: vscode.Uri.file(extDir), extensionMode: 1 };
    let activated = false;
    await test(`${label}: activate() with default settings starts a server`, async () => {
        await withTimeout(extension.activate(context), 'activate()');
        assert(children().length > 0, `activate() started no process:\n${vscode.outputLines.join('\n')}`);
        activated = true;
    });
    const output = () => vscode.outputLines.join('\n');

    await test(`${label}: the output channel names the binary and why`, async () => {
        const reason = expect === 'bundled'
            ? 'the server bundled with this extension (jianggao.server.path is at its default)'
            : 'found on PATH (this extension package has no bundled server; jianggao.server.path is at its default)';
        const line = vscode.outputLines.find((l) => l.includes(`Starting the language server: ${expected} — `));
        assert(line, `no start line for ${expected} in:\n${output()}`);
        assert(line.includes(reason), `reason missing in: ${line}`);
        const started = vscode.outputLines.find((l) => l.includes(`Language server started: ${expected} (jianggao `));
        assert(started, `no "Language server started" line for ${expected} in:\n${output()}`);
        return started.slice(started.indexOf('Language server started'));
    });

    await test(`${label}: the process the extension spawned runs that file`, async () => {
        assert(fs.existsSync('/proc/self/exe'), 'needs /proc (Linux)');
        const want = fs.realpathSync(expected);
        const kids = children();
        const server = kids.find((c) => c.exe === want);
        assert(server, `no child process runs ${want}; children: ${JSON.stringify(kids)}`);
        return `pid ${server.pid}: ${server.exe}`;
    });

    if (activated) {
        const text = fs.readFileSync(fixture, 'utf8');
        const uri = vscode.Uri.file(path.resolve(fixture));
        const doc = new FakeDocument(uri, 'plaintext', text);
        vscode.workspace.textDocuments.push(doc);
        vscode.workspace.onDidOpenTextDocument.fire(doc);
        await test(`${label}: diagnostics from that server`, async () => {
            const isWrongForm = (x) => x.code === 'wrong-form' || (x.code && x.code.value === 'wrong-form');
            const diags = await waitForDiagnostics(uri, (d) => d.some(isWrongForm), 'wrong-form diagnostic');
            const diag = diags.find(isWrongForm);
            assert(doc.getText(diag.range) === '党的十九精神', `range covers ${JSON.stringify(doc.getText(diag.range))}`);
        });

        await test(`${label}: the extension's statistics command gets an answer`, async () => {
            vscode.window.activeTextEditor = { document: doc, selection: undefined, revealRange() {} };
            const before = vscode.outputLines.length;
            await withTimeout(Promise.resolve(vscode.commands.executeCommand('jianggao.showStatistics')), 'jianggao.showStatistics');
            const report = vscode.outputLines.slice(before).find((l) => / 字/.test(l) && /L\d+\t/.test(l));
            assert(report, `no statistics report in the output channel:\n${vscode.outputLines.slice(before).join('\n')}`);
            return report.split('\n')[1];
        });
    }

    await test(`${label}: deactivate() stops the server`, async () => {
        const want = fs.realpathSync(expected);
        await withTimeout(extension.deactivate(), 'deactivate()');
        await waitFor(() => !children().some((c) => c.exe === want), 'the server process to exit', 5000);
    });

    if (results.includes(false)) console.log('--- extension output ---\n' + output());
    return results.length && results.every(Boolean) ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });

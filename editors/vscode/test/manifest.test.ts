/**
 * Consistency checks between package.json, the nls files and the code, so a
 * renamed setting or command cannot silently break the extension.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { KNOWN_RULES, RESTART_KEYS, SEVERITIES } from '../src/settings';

// Compiled to out/test/*.js: the extension root is two levels up.
const root = path.resolve(__dirname, '..', '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
const manifest = readJson('package.json');
const nlsEn: Record<string, string> = readJson('package.nls.json');
const nlsZh: Record<string, string> = readJson('package.nls.zh-cn.json');
const properties: Record<string, any> = manifest.contributes.configuration.properties;

function placeholders(value: unknown, found: Set<string> = new Set()): Set<string> {
    if (typeof value === 'string') {
        const m = /^%(.+)%$/.exec(value);
        if (m) {
            found.add(m[1]);
        }
    } else if (Array.isArray(value)) {
        value.forEach((v) => placeholders(v, found));
    } else if (value && typeof value === 'object') {
        Object.values(value).forEach((v) => placeholders(v, found));
    }
    return found;
}

describe('package.json localisation', () => {
    const keys = placeholders(manifest);

    it('every %placeholder% has an English and a Chinese text', () => {
        assert.ok(keys.size > 20);
        for (const key of keys) {
            assert.ok(nlsEn[key], `package.nls.json is missing ${key}`);
            assert.ok(nlsZh[key], `package.nls.zh-cn.json is missing ${key}`);
        }
    });

    it('the two nls files have the same keys and no unused ones', () => {
        assert.deepEqual(Object.keys(nlsZh).sort(), Object.keys(nlsEn).sort());
        for (const key of Object.keys(nlsEn)) {
            assert.ok(keys.has(key), `unused nls key ${key}`);
        }
    });

    it('the Chinese texts are actually Chinese', () => {
        for (const [key, text] of Object.entries(nlsZh)) {
            if (key.startsWith('severity.') || key.startsWith('rule.')) {
                continue; // may legitimately be short codes
            }
            assert.match(text, /[\u4e00-\u9fff]/, `${key} has no Chinese text`);
        }
    });
});

describe('package.json contributions', () => {
    it('declares the required settings with the documented defaults', () => {
        assert.equal(properties['jianggao.server.path'].default, 'jianggao');
        assert.equal(properties['jianggao.speakingRate'].default, 220);
        assert.equal(properties['jianggao.inlayHints.enable'].default, false);
        assert.equal(properties['jianggao.glossaryPath'].default, '');
        assert.equal(properties['jianggao.indent'].default, 'keep');
        assert.equal(properties['jianggao.date'].default, '');
        assert.deepEqual(properties['jianggao.indent'].enum, ['keep', 'fullwidth', 'none']);
        assert.deepEqual(properties['jianggao.trace.server'].enum, ['off', 'messages', 'verbose']);
        assert.deepEqual(properties['jianggao.languages'].default, ['plaintext', 'markdown']);
        assert.equal(properties['jianggao.onlyChineseDrafts'].default, false);
        assert.deepEqual(properties['jianggao.rules'].default, {});
    });

    it('lists every known rule with the five severities', () => {
        const rules = properties['jianggao.rules'];
        assert.deepEqual(Object.keys(rules.properties).sort(), [...KNOWN_RULES].sort());
        for (const rule of Object.values<any>(rules.properties)) {
            assert.deepEqual(rule.enum, [...SEVERITIES]);
        }
        assert.deepEqual(rules.additionalProperties.enum, [...SEVERITIES]);
    });

    it('restart-triggering settings all exist', () => {
        for (const key of RESTART_KEYS) {
            assert.ok(properties[key], `${key} is not contributed`);
        }
    });

    it('registers exactly the contributed commands', () => {
        const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
        assert.deepEqual(contributed, ['jianggao.renumber', 'jianggao.restartServer', 'jianggao.showStatistics']);
        const source = fs.readFileSync(path.join(root, 'out', 'src', 'extension.js'), 'utf8');
        const registered = [...source.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]).sort();
        assert.deepEqual(registered, contributed);
    });

    it('points main at the compiled extension and pins exact dev dependency versions', () => {
        assert.equal(manifest.main, './out/src/extension.js');
        assert.ok(fs.existsSync(path.join(root, manifest.main)));
        for (const [name, version] of Object.entries<string>({ ...manifest.devDependencies, ...manifest.dependencies })) {
            assert.match(version, /^\d+\.\d+\.\d+$/, `${name} is not pinned: ${version}`);
        }
        assert.equal(manifest.license, 'MIT');
        assert.ok(fs.existsSync(path.join(root, 'LICENSE')));
    });

    it('@types/vscode does not exceed the engine', () => {
        const engine = manifest.engines.vscode.replace(/^\^/, '').split('.').map(Number);
        const types = manifest.devDependencies['@types/vscode'].split('.').map(Number);
        assert.ok(types[0] < engine[0] || (types[0] === engine[0] && types[1] <= engine[1]));
    });
});

describe('pure modules', () => {
    it('do not import vscode (they run under plain node)', () => {
        for (const file of ['serverPath.js', 'settings.js', 'draftGate.js', 'statistics.js', 'messages.js']) {
            const source = fs.readFileSync(path.join(root, 'out', 'src', file), 'utf8');
            assert.doesNotMatch(source, /require\("vscode"\)/, file);
        }
    });
});

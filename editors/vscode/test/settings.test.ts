import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { buildDocumentSelector, normaliseSeverity, toServerSettings } from '../src/settings';

/** Simulates `WorkspaceConfiguration#get` over a flat map of dotted keys. */
function getter(values: Record<string, unknown>) {
    return (key: string) => values[key];
}

describe('toServerSettings', () => {
    it('produces the documented defaults for an empty configuration', () => {
        assert.deepEqual(toServerSettings(getter({})), {
            speakingRate: 220,
            rules: {},
            inlayHints: { enable: false },
            glossaryPath: '',
            indent: 'keep',
            date: '',
        });
    });

    it('passes valid values through in the server shape', () => {
        const s = toServerSettings(
            getter({
                speakingRate: 180,
                rules: { 'numbering-gap': 'error', placeholder: 'off' },
                'inlayHints.enable': true,
                glossaryPath: ' /w/jianggao.toml ',
                indent: 'fullwidth',
                date: ' 2017-10-18 ',
                // client-only settings must not leak into the server settings
                'server.path': '/usr/bin/jianggao',
                onlyChineseDrafts: true,
            }),
        );
        assert.deepEqual(s, {
            speakingRate: 180,
            rules: { 'numbering-gap': 'error', placeholder: 'off' },
            inlayHints: { enable: true },
            glossaryPath: '/w/jianggao.toml',
            indent: 'fullwidth',
            date: '2017-10-18',
        });
        assert.deepEqual(Object.keys(s).sort(), ['date', 'glossaryPath', 'indent', 'inlayHints', 'rules', 'speakingRate']);
    });

    it('replaces invalid values with defaults and drops bad rules', () => {
        const s = toServerSettings(
            getter({
                speakingRate: -5,
                rules: { 'numbering-gap': 'fatal', 'wrong-form': 'Warning', 'announced-count': 'information', '': 'error', x: 3 },
                'inlayHints.enable': 'yes',
                glossaryPath: 42,
                indent: 'tabs',
                date: 'last year',
            }),
        );
        assert.equal(s.speakingRate, 220);
        assert.deepEqual(s.rules, { 'wrong-form': 'warning', 'announced-count': 'info' });
        assert.equal(s.inlayHints.enable, false);
        assert.equal(s.glossaryPath, '');
        assert.equal(s.indent, 'keep');
        assert.equal(s.date, '');
    });

    it('ignores a rules value that is not an object', () => {
        assert.deepEqual(toServerSettings(getter({ rules: ['error'] })).rules, {});
        assert.deepEqual(toServerSettings(getter({ rules: 'error' })).rules, {});
        assert.equal(toServerSettings(getter({ speakingRate: Number.NaN })).speakingRate, 220);
    });
});

describe('normaliseSeverity', () => {
    it('accepts the five severities and common aliases', () => {
        for (const s of ['error', 'warning', 'info', 'hint', 'off']) {
            assert.equal(normaliseSeverity(s), s);
        }
        assert.equal(normaliseSeverity('warn'), 'warning');
        assert.equal(normaliseSeverity(' ERROR '), 'error');
        assert.equal(normaliseSeverity('none'), 'off');
        assert.equal(normaliseSeverity('critical'), undefined);
        assert.equal(normaliseSeverity(1), undefined);
    });
});

describe('buildDocumentSelector', () => {
    it('defaults to plaintext and markdown in files and untitled buffers', () => {
        assert.deepEqual(buildDocumentSelector(undefined, undefined), [
            { scheme: 'file', language: 'plaintext' },
            { scheme: 'untitled', language: 'plaintext' },
            { scheme: 'file', language: 'markdown' },
            { scheme: 'untitled', language: 'markdown' },
        ]);
    });

    it('uses configured languages and glob patterns, deduplicated', () => {
        assert.deepEqual(buildDocumentSelector(['markdown', ' markdown', '', 7], ['**/讲稿/**/*.txt']), [
            { scheme: 'file', language: 'markdown' },
            { scheme: 'untitled', language: 'markdown' },
            { scheme: 'file', pattern: '**/讲稿/**/*.txt' },
        ]);
    });

    it('allows an empty language list with patterns only', () => {
        assert.deepEqual(buildDocumentSelector([], ['**/*.jg']), [{ scheme: 'file', pattern: '**/*.jg' }]);
    });
});

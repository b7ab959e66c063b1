import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { DraftGate, containsCjk, emptyResultFor, requestDocumentUri } from '../src/draftGate';

describe('containsCjk', () => {
    it('detects Chinese text', () => {
        assert.equal(containsCjk('同志们：'), true);
        assert.equal(containsCjk('Hello, 世界'), true);
        assert.equal(containsCjk('第一，'), true);
        assert.equal(containsCjk('𠀀'), true); // CJK extension B (astral plane)
        assert.equal(containsCjk('，'), true); // fullwidth comma only
    });
    it('rejects text without CJK characters', () => {
        assert.equal(containsCjk(''), false);
        assert.equal(containsCjk('# README\n\nPlain English notes, 1. 2. 3.'), false);
        assert.equal(containsCjk('Ünïcödé — “quotes” … ©'), false);
    });
});

describe('DraftGate disabled (onlyChineseDrafts = false)', () => {
    it('forwards everything', () => {
        const gate = new DraftGate(false);
        assert.equal(gate.open('file:///a.txt', 'english only'), true);
        assert.equal(gate.change('file:///a.txt', 'still english'), 'forward');
        assert.equal(gate.change('file:///unknown.txt', 'x'), 'forward');
        assert.equal(gate.allows('file:///never-opened.txt'), true);
        assert.equal(gate.close('file:///a.txt'), true);
        assert.equal(gate.close('file:///unknown.txt'), true);
    });
});

describe('DraftGate enabled (onlyChineseDrafts = true)', () => {
    it('opens Chinese drafts and keeps English files away from the server', () => {
        const gate = new DraftGate(true);
        assert.equal(gate.open('file:///speech.txt', '同志们：'), true);
        assert.equal(gate.allows('file:///speech.txt'), true);
        assert.equal(gate.open('file:///notes.md', '# Notes'), false);
        assert.equal(gate.allows('file:///notes.md'), false);
        assert.equal(gate.change('file:///notes.md', '# Notes\nmore'), 'drop');
        assert.equal(gate.close('file:///notes.md'), false);
        assert.equal(gate.close('file:///speech.txt'), true);
        assert.equal(gate.allows('file:///speech.txt'), false);
    });

    it('opens a document once it gains Chinese text, then forwards changes', () => {
        const gate = new DraftGate(true);
        assert.equal(gate.open('untitled:Untitled-1', ''), false);
        assert.equal(gate.change('untitled:Untitled-1', 'T'), 'drop');
        assert.equal(gate.change('untitled:Untitled-1', 'Title 讲'), 'open');
        assert.equal(gate.allows('untitled:Untitled-1'), true);
        // once known it stays known even if the Chinese text is deleted
        assert.equal(gate.change('untitled:Untitled-1', 'Title'), 'forward');
        assert.equal(gate.close('untitled:Untitled-1'), true);
    });

    it('forgets everything on clear()', () => {
        const gate = new DraftGate(true);
        gate.open('file:///a.txt', '讲话');
        gate.clear();
        assert.equal(gate.allows('file:///a.txt'), false);
    });
});

describe('request helpers', () => {
    it('extracts params.textDocument.uri', () => {
        assert.equal(requestDocumentUri({ textDocument: { uri: 'file:///a.txt' }, position: { line: 0, character: 0 } }), 'file:///a.txt');
        assert.equal(requestDocumentUri({ query: '一' }), undefined);
        assert.equal(requestDocumentUri(undefined), undefined);
        assert.equal(requestDocumentUri({ textDocument: { uri: 1 } }), undefined);
    });
    it('answers pull diagnostics with an empty full report, everything else with null', () => {
        assert.deepEqual(emptyResultFor('textDocument/diagnostic'), { kind: 'full', items: [] });
        assert.equal(emptyResultFor('textDocument/hover'), null);
        assert.equal(emptyResultFor('jianggao/statistics'), null);
    });
});

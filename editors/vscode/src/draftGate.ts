/**
 * `jianggao.onlyChineseDrafts`: only let the server see documents that
 * contain Chinese (CJK) text.  Pure logic, no `vscode` import; the extension
 * wires it into the language client's middleware:
 *
 *  - didOpen of a document without CJK text is not forwarded;
 *  - when such a document later gains CJK text, a didOpen with its full,
 *    current text is sent instead of the change;
 *  - didChange / didSave / didClose are only forwarded for documents the
 *    server knows;
 *  - requests about a document the server does not know are answered
 *    locally with an empty result.
 *
 * Once a document has been handed to the server it stays there until it is
 * closed, even if its Chinese text is deleted (avoids flapping diagnostics).
 */

/**
 * Han ideographs (incl. extension A and compatibility ideographs), CJK
 * punctuation, fullwidth forms, bopomofo and the supplementary ideograph planes.
 */
const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u3100-\u312f\u31a0-\u31bf]|[\u{20000}-\u{3134f}]/u;

/** True when the text contains at least one CJK character. */
export function containsCjk(text: string): boolean {
    return CJK.test(text);
}

export type ChangeDecision = 'forward' | 'open' | 'drop';

export class DraftGate {
    private readonly known = new Set<string>();

    constructor(public readonly enabled: boolean) {}

    /** didOpen: returns true when the notification should be forwarded. */
    open(uri: string, text: string): boolean {
        if (!this.enabled || containsCjk(text)) {
            this.known.add(uri);
            return true;
        }
        return false;
    }

    /**
     * didChange: `forward` the change, `open` the document now (send a didOpen
     * with the full text instead of the change), or `drop` it.
     */
    change(uri: string, text: string): ChangeDecision {
        if (!this.enabled || this.known.has(uri)) {
            return 'forward';
        }
        if (containsCjk(text)) {
            this.known.add(uri);
            return 'open';
        }
        return 'drop';
    }

    /** didClose: returns true when the notification should be forwarded. */
    close(uri: string): boolean {
        return this.known.delete(uri) || !this.enabled;
    }

    /** Whether requests about this document may go to the server. */
    allows(uri: string): boolean {
        return !this.enabled || this.known.has(uri);
    }

    clear(): void {
        this.known.clear();
    }
}

/** Extract `params.textDocument.uri` from an LSP request, if there is one. */
export function requestDocumentUri(params: unknown): string | undefined {
    if (params && typeof params === 'object' && 'textDocument' in params) {
        const td = (params as { textDocument?: unknown }).textDocument;
        if (td && typeof td === 'object' && 'uri' in td && typeof (td as { uri: unknown }).uri === 'string') {
            return (td as { uri: string }).uri;
        }
    }
    return undefined;
}

/** The local answer for a request about a document the server must not see. */
export function emptyResultFor(method: string): unknown {
    if (method === 'textDocument/diagnostic') {
        return { kind: 'full', items: [] };
    }
    return null;
}

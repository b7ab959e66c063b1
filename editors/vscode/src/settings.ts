/**
 * Client-side view of the `jianggao.*` settings.  Free of `vscode` imports so
 * it can be unit-tested with `node --test`.
 */

export const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INDENT_MODES = ['keep', 'fullwidth', 'none'] as const;
export type IndentMode = (typeof INDENT_MODES)[number];

export const DEFAULT_SPEAKING_RATE = 220;
export const DEFAULT_LANGUAGES = ['plaintext', 'markdown'];

/** The rule codes the server knows today (for documentation / settings UI). */
export const KNOWN_RULES = [
    'numbering-gap',
    'placeholder',
    'half-width-punctuation',
    'wrong-form',
    'formula-list',
    'superseded-formula',
    'announced-count',
];

/**
 * Exactly what the server reads from `workspace/configuration` (section
 * `jianggao`) and from `initializationOptions`.
 */
export interface ServerSettings {
    speakingRate: number;
    rules: Record<string, Severity>;
    inlayHints: { enable: boolean };
    glossaryPath: string;
    indent: IndentMode;
    /** `YYYY-MM-DD` or `YYYY-MM`; '' means today. */
    date: string;
}

const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;

/** Minimal stand-in for `vscode.WorkspaceConfiguration#get`. */
export type ConfigGetter = (key: string) => unknown;

function isSeverity(value: unknown): value is Severity {
    return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** Normalise a severity spelling; accepts a few common aliases. */
export function normaliseSeverity(value: unknown): Severity | undefined {
    if (typeof value !== 'string') {
        return undefined;
    }
    const v = value.trim().toLowerCase();
    const alias: Record<string, Severity> = {
        information: 'info',
        warn: 'warning',
        none: 'off',
        ignore: 'off',
        disabled: 'off',
    };
    const mapped = alias[v] ?? v;
    return isSeverity(mapped) ? mapped : undefined;
}

/**
 * Build the settings object sent to the server.  Invalid values are replaced
 * by defaults (rules with an unknown severity are dropped) so the server never
 * has to deal with garbage coming from a hand-edited settings.json.
 */
export function toServerSettings(get: ConfigGetter): ServerSettings {
    const rateRaw = get('speakingRate');
    const rate = typeof rateRaw === 'number' && Number.isFinite(rateRaw) && rateRaw > 0 ? rateRaw : DEFAULT_SPEAKING_RATE;

    const rules: Record<string, Severity> = {};
    const rulesRaw = get('rules');
    if (rulesRaw && typeof rulesRaw === 'object' && !Array.isArray(rulesRaw)) {
        for (const [code, severity] of Object.entries(rulesRaw as Record<string, unknown>)) {
            const normalised = normaliseSeverity(severity);
            if (normalised && code.trim().length > 0) {
                rules[code.trim()] = normalised;
            }
        }
    }

    const inlayRaw = get('inlayHints.enable');
    const glossaryRaw = get('glossaryPath');
    const indentRaw = get('indent');
    const dateRaw = typeof get('date') === 'string' ? (get('date') as string).trim() : '';

    return {
        speakingRate: rate,
        rules,
        inlayHints: { enable: inlayRaw === true },
        glossaryPath: typeof glossaryRaw === 'string' ? glossaryRaw.trim() : '',
        indent: typeof indentRaw === 'string' && (INDENT_MODES as readonly string[]).includes(indentRaw) ? (indentRaw as IndentMode) : 'keep',
        date: DATE_PATTERN.test(dateRaw) ? dateRaw : '',
    };
}

/** A document filter in the shape of `vscode.DocumentFilter`. */
export type DocumentFilter = { scheme: string; language: string } | { scheme: string; pattern: string };

/**
 * The document selector for the client: every configured language in saved
 * files and untitled buffers, plus every configured glob pattern (any language).
 */
export function buildDocumentSelector(languages: unknown, patterns: unknown): DocumentFilter[] {
    const langs = stringList(languages, DEFAULT_LANGUAGES);
    const globs = stringList(patterns, []);
    const selector: DocumentFilter[] = [];
    for (const language of langs) {
        selector.push({ scheme: 'file', language });
        selector.push({ scheme: 'untitled', language });
    }
    for (const pattern of globs) {
        selector.push({ scheme: 'file', pattern });
    }
    return selector;
}

function stringList(value: unknown, fallback: string[]): string[] {
    if (!Array.isArray(value)) {
        return fallback;
    }
    const seen = new Set<string>();
    for (const item of value) {
        if (typeof item === 'string' && item.trim().length > 0) {
            seen.add(item.trim());
        }
    }
    return [...seen];
}

/** Settings whose change requires restarting the client (not just a notification). */
export const RESTART_KEYS = ['jianggao.server.path', 'jianggao.languages', 'jianggao.filePatterns', 'jianggao.onlyChineseDrafts'];

/**
 * Types and formatting for the `jianggao/statistics` custom request.
 * No `vscode` import: unit-tested with `node --test`.
 *
 * Request:  { textDocument: { uri } }
 * Response: { chars, minutes, sections: [{ name, chars, minutes, line }] }
 * `line` is zero-based, like every LSP position.
 */

export const STATISTICS_METHOD = 'jianggao/statistics';

export interface SectionStatistics {
    name: string;
    chars: number;
    minutes: number;
    line: number;
}

export interface Statistics {
    chars: number;
    minutes: number;
    sections: SectionStatistics[];
}

function isCount(value: unknown): value is number {
    return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Validate an untrusted response; returns undefined when it has the wrong shape. */
export function parseStatistics(value: unknown): Statistics | undefined {
    if (!value || typeof value !== 'object') {
        return undefined;
    }
    const v = value as Record<string, unknown>;
    if (!isCount(v.chars) || !isCount(v.minutes)) {
        return undefined;
    }
    const sections: SectionStatistics[] = [];
    if (Array.isArray(v.sections)) {
        for (const item of v.sections) {
            if (!item || typeof item !== 'object') {
                continue;
            }
            const s = item as Record<string, unknown>;
            if (!isCount(s.chars) || !isCount(s.minutes)) {
                continue;
            }
            sections.push({
                name: typeof s.name === 'string' ? s.name : '',
                chars: s.chars,
                minutes: s.minutes,
                line: isCount(s.line) ? Math.floor(s.line) : 0,
            });
        }
    }
    return { chars: v.chars, minutes: v.minutes, sections };
}

/** 12345 → "12,345". Locale-independent so tests are stable. */
export function formatCount(n: number): string {
    return Math.round(n)
        .toString()
        .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 15.7 → "15 分 42 秒"; 0.5 → "30 秒"; 3 → "3 分". */
export function formatDuration(minutes: number): string {
    const totalSeconds = Math.max(0, Math.round(minutes * 60));
    const m = Math.floor(totalSeconds / 60);
    const s = totalSeconds % 60;
    if (m === 0) {
        return `${s} 秒`;
    }
    if (s === 0) {
        return `${m} 分`;
    }
    return `${m} 分 ${s} 秒`;
}

/** One-line summary: "全文 3,456 字，约 15 分 42 秒 (3,456 chars, ~15.7 min)". */
export function formatSummary(stats: Statistics): string {
    return `全文 ${formatCount(stats.chars)} 字，约 ${formatDuration(stats.minutes)} (${formatCount(stats.chars)} chars, ~${stats.minutes.toFixed(1)} min)`;
}

export interface StatisticsItem {
    label: string;
    description: string;
    detail?: string;
    /** Zero-based line to reveal, undefined for the summary row. */
    line?: number;
}

/** Rows for a quick pick: the summary first, then one row per section. */
export function statisticsItems(stats: Statistics): StatisticsItem[] {
    const items: StatisticsItem[] = [
        {
            label: formatSummary(stats),
            description: stats.sections.length > 0 ? `${stats.sections.length} 部分 / sections` : '',
        },
    ];
    const total = stats.chars > 0 ? stats.chars : 0;
    for (const section of stats.sections) {
        const share = total > 0 ? Math.round((section.chars / total) * 100) : 0;
        items.push({
            label: section.name.trim().length > 0 ? section.name.trim() : '（无标题 untitled）',
            description: `${formatCount(section.chars)} 字 · ${formatDuration(section.minutes)} · ${share}%`,
            detail: `第 ${section.line + 1} 行 / line ${section.line + 1}`,
            line: section.line,
        });
    }
    return items;
}

/** Plain-text table written to the output channel (easy to copy). */
export function statisticsReport(stats: Statistics, documentName: string): string {
    const lines = [`${documentName}`, formatSummary(stats)];
    for (const section of stats.sections) {
        const name = section.name.trim().length > 0 ? section.name.trim() : '（无标题 untitled）';
        lines.push(`  L${section.line + 1}\t${formatCount(section.chars)} 字\t${formatDuration(section.minutes)}\t${name}`);
    }
    return lines.join('\n');
}

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { formatCount, formatDuration, formatSummary, parseStatistics, statisticsItems, statisticsReport } from '../src/statistics';

const sample = {
    chars: 3456,
    minutes: 15.709,
    sections: [
        { name: '一、提高政治站位', chars: 1200, minutes: 5.45, line: 4 },
        { name: '二、狠抓工作落实', chars: 2256, minutes: 10.25, line: 20 },
    ],
};

describe('parseStatistics', () => {
    it('accepts the documented response', () => {
        assert.deepEqual(parseStatistics(sample), sample);
    });
    it('rejects null and malformed responses', () => {
        assert.equal(parseStatistics(null), undefined);
        assert.equal(parseStatistics({ chars: '3', minutes: 1, sections: [] }), undefined);
        assert.equal(parseStatistics({ chars: 3 }), undefined);
    });
    it('tolerates missing sections and skips malformed ones', () => {
        assert.deepEqual(parseStatistics({ chars: 10, minutes: 0.05 }), { chars: 10, minutes: 0.05, sections: [] });
        const parsed = parseStatistics({ chars: 10, minutes: 1, sections: [null, { name: 'x' }, { chars: 5, minutes: 0.5, line: 2.7 }] });
        assert.deepEqual(parsed?.sections, [{ name: '', chars: 5, minutes: 0.5, line: 2 }]);
    });
});

describe('formatting', () => {
    it('formats counts with thousands separators', () => {
        assert.equal(formatCount(0), '0');
        assert.equal(formatCount(999), '999');
        assert.equal(formatCount(12345), '12,345');
        assert.equal(formatCount(1234567.4), '1,234,567');
    });
    it('formats durations in minutes and seconds', () => {
        assert.equal(formatDuration(0), '0 秒');
        assert.equal(formatDuration(0.5), '30 秒');
        assert.equal(formatDuration(3), '3 分');
        assert.equal(formatDuration(15.7), '15 分 42 秒');
        assert.equal(formatDuration(-1), '0 秒');
    });
    it('builds a bilingual summary', () => {
        assert.equal(formatSummary(sample), '全文 3,456 字，约 15 分 43 秒 (3,456 chars, ~15.7 min)');
    });
});

describe('statisticsItems', () => {
    it('puts the summary first and one row per section with its line', () => {
        const items = statisticsItems(sample);
        assert.equal(items.length, 3);
        assert.equal(items[0].line, undefined);
        assert.equal(items[0].description, '2 部分 / sections');
        assert.equal(items[1].label, '一、提高政治站位');
        assert.equal(items[1].description, '1,200 字 · 5 分 27 秒 · 35%');
        assert.equal(items[1].detail, '第 5 行 / line 5');
        assert.equal(items[1].line, 4);
        assert.equal(items[2].line, 20);
    });
    it('labels untitled sections and survives an empty document', () => {
        const items = statisticsItems({ chars: 0, minutes: 0, sections: [{ name: ' ', chars: 0, minutes: 0, line: 0 }] });
        assert.equal(items[1].label, '（无标题 untitled）');
        assert.equal(items[1].description, '0 字 · 0 秒 · 0%');
    });
});

describe('statisticsReport', () => {
    it('renders a copyable text table', () => {
        assert.equal(
            statisticsReport(sample, 'drafts/讲话.md'),
            [
                'drafts/讲话.md',
                '全文 3,456 字，约 15 分 43 秒 (3,456 chars, ~15.7 min)',
                '  L5\t1,200 字\t5 分 27 秒\t一、提高政治站位',
                '  L21\t2,256 字\t10 分 15 秒\t二、狠抓工作落实',
            ].join('\n'),
        );
    });
});

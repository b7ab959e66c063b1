import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { serverNotFoundDetails, serverNotFoundMessage } from '../src/messages';

describe('server-not-found messages', () => {
    it('explains installation in Chinese and English when not on PATH', () => {
        const msg = serverNotFoundMessage({ found: false, requested: 'jianggao', reason: 'not-on-path', tried: [] });
        assert.match(msg, /找不到/);
        assert.match(msg, /cannot find/);
        assert.match(msg, /cargo install/);
        assert.match(msg, /jianggao\.server\.path/);
    });
    it('names the wrong path when an explicit path is missing', () => {
        const msg = serverNotFoundMessage({ found: false, requested: '/opt/x/jianggao', reason: 'explicit-path', tried: ['/opt/x/jianggao'] });
        assert.match(msg, /不存在/);
        assert.match(msg, /does not exist/);
        assert.ok(msg.includes('/opt/x/jianggao'));
    });
    it('lists every candidate in the details', () => {
        const details = serverNotFoundDetails({ found: false, requested: 'jianggao', reason: 'not-on-path', tried: ['/a/jianggao', '/b/jianggao'] });
        assert.ok(details.includes('✗ /a/jianggao'));
        assert.ok(details.includes('✗ /b/jianggao'));
        assert.match(serverNotFoundDetails({ found: false, requested: 'jianggao', reason: 'not-on-path', tried: [] }), /PATH is empty/);
    });
});

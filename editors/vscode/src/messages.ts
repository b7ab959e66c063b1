/**
 * User-facing texts that are built from data (kept out of extension.ts so
 * they can be unit-tested).  Every message is bilingual: Chinese first,
 * then English, because a missing server is typically met by someone who
 * has never configured an editor before.
 */
import type { UnresolvedServer } from './serverPath';

export const OPEN_SETTINGS = '打开设置 Open Settings';
export const SHOW_DETAILS = '查看详情 Show Details';
export const RETRY = '重试 Retry';

export function serverNotFoundMessage(resolution: UnresolvedServer): string {
    if (resolution.reason === 'explicit-path') {
        return (
            `讲稿：设置 jianggao.server.path 指向的文件不存在或不可执行：${resolution.requested}。` +
            `请在设置中改成 jianggao 程序的完整路径，或清空该设置以使用 PATH 中的 jianggao。 ` +
            `| Jianggao: the file set in jianggao.server.path does not exist or is not executable: ${resolution.requested}. ` +
            `Fix the full path to the jianggao program in Settings, or clear the setting to use jianggao from PATH.`
        );
    }
    return (
        `讲稿：找不到语言服务器程序 "${resolution.requested}"。` +
        `这个扩展包不带服务器程序：请从扩展市场重新安装适合本机平台的版本（自带服务器），` +
        `或从发布页下载 jianggao 程序放到 PATH 中的目录（也可以运行 cargo install jianggao），` +
        `然后点击“重试”；也可以在设置 jianggao.server.path 中填写程序的完整路径。 ` +
        `| Jianggao: cannot find the language server program "${resolution.requested}". ` +
        `This extension package has no bundled server: install the extension for your platform from the Marketplace (it carries the server), ` +
        `or put the jianggao program from the release page in a folder on PATH (or run cargo install jianggao), ` +
        `then click Retry; or set jianggao.server.path to the full path of the program.`
    );
}

export function serverNotFoundDetails(resolution: UnresolvedServer): string {
    const lines = [
        `jianggao.server.path → ${resolution.requested}`,
        resolution.reason === 'explicit-path' ? '按路径查找 / looked up as a file path:' : '在扩展自带目录与 PATH 中查找 / looked up in the bundled server folder and on PATH:',
    ];
    if (resolution.tried.length === 0) {
        lines.push('  （PATH 为空 / PATH is empty）');
    }
    for (const candidate of resolution.tried) {
        lines.push(`  ✗ ${candidate}`);
    }
    return lines.join('\n');
}

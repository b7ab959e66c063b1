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
        `请先安装 jianggao（在 jianggao 源码目录运行 cargo install --path .，或把下载的 jianggao 程序放到 PATH 中的目录），` +
        `然后点击“重试”；也可以在设置 jianggao.server.path 中填写程序的完整路径。 ` +
        `| Jianggao: cannot find the language server program "${resolution.requested}". ` +
        `Install jianggao first (run cargo install --path . in the jianggao source folder, or put the downloaded jianggao program in a folder on PATH), ` +
        `then click Retry; or set jianggao.server.path to the full path of the program.`
    );
}

export function serverNotFoundDetails(resolution: UnresolvedServer): string {
    const lines = [
        `jianggao.server.path → ${resolution.requested}`,
        resolution.reason === 'explicit-path' ? '按路径查找 / looked up as a file path:' : '在 PATH 与扩展自带目录中查找 / looked up on PATH and in the bundled server folder:',
    ];
    if (resolution.tried.length === 0) {
        lines.push('  （PATH 为空 / PATH is empty）');
    }
    for (const candidate of resolution.tried) {
        lines.push(`  ✗ ${candidate}`);
    }
    return lines.join('\n');
}

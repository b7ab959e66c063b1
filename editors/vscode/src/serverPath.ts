/**
 * Locating the `jianggao` executable.
 *
 * This module is deliberately free of any `vscode` import so that it can be
 * unit-tested with plain `node --test`.  Everything that depends on the
 * machine (environment, platform, home directory, file system) is passed in.
 *
 * Resolution order:
 *  1. `jianggao.server.path` left at its default (`"jianggao"`, or empty):
 *     the binary bundled with the extension, `<extension>/server/jianggao`
 *     (`jianggao.exe` on Windows) — the platform-specific packages carry one —
 *     then `jianggao` on PATH (the universal package has no bundled server).
 *  2. A path in the setting (absolute, or containing a path separator):
 *     - `~`, `${userHome}` and `${workspaceFolder}` are expanded; relative
 *       paths are resolved against the first workspace folder.  On Windows a
 *       missing extension is completed with the extensions listed in PATHEXT.
 *     - A path that does not exist is an error: we do NOT silently fall back
 *       to something else, because that would hide a typo.
 *  3. Any other command name in the setting: looked up on PATH (with PATHEXT
 *     on Windows), then the bundled binary.
  */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEFAULT_COMMAND = 'jianggao';

export interface ResolveOptions {
    /** Raw value of `jianggao.server.path`; empty/undefined means the default. */
    setting?: string | null;
    /** Root folder of the installed extension (for the bundled binary). */
    extensionPath?: string;
    /** Path of the first workspace folder, used for relative paths. */
    workspaceFolder?: string;
    /** Defaults to `process.env`. */
    env?: Record<string, string | undefined>;
    /** Defaults to `process.platform`. */
    platform?: NodeJS.Platform;
    /** Defaults to `os.homedir()` (via the env: HOME / USERPROFILE). */
    homedir?: string;
    /** Defaults to a real file system check (regular file, executable on POSIX). */
    isExecutable?: (file: string) => boolean;
}

export type ResolveSource = 'setting' | 'path' | 'bundled';

export interface ResolvedServer {
    found: true;
    /** Absolute path of the executable. */
    path: string;
    source: ResolveSource;
    /** The setting was left at its default (so the bundled server came first). */
    defaultSetting: boolean;
    /** The setting after `~`/variable expansion (the command name or path asked for). */
    requested: string;
    /** Every candidate that was checked, in order (for diagnostics). */
    tried: string[];
}

export interface UnresolvedServer {
    found: false;
    /** What the user asked for, after `~`/variable expansion. */
    requested: string;
    /** `explicit-path`: a path was configured but does not exist.
     *  `not-on-path`: a command name was not found on PATH and nothing is bundled. */
    reason: 'explicit-path' | 'not-on-path';
    tried: string[];
}

export type ServerResolution = ResolvedServer | UnresolvedServer;

/** The `path` module flavour matching the target platform. */
export function pathFor(platform: NodeJS.Platform): path.PlatformPath {
    return platform === 'win32' ? path.win32 : path.posix;
}

/** Case-insensitive environment lookup (Windows spells it `Path`). */
export function getEnv(env: Record<string, string | undefined>, name: string, platform: NodeJS.Platform): string | undefined {
    if (platform !== 'win32') {
        return env[name];
    }
    const upper = name.toUpperCase();
    for (const key of Object.keys(env)) {
        if (key.toUpperCase() === upper) {
            return env[key];
        }
    }
    return undefined;
}

/** Expand a leading `~` and the `${userHome}` / `${workspaceFolder}` variables. */
export function expandPath(value: string, homedir: string | undefined, workspaceFolder: string | undefined, platform: NodeJS.Platform): string {
    let result = value;
    if (homedir) {
        result = result.split('${userHome}').join(homedir);
        if (result === '~') {
            result = homedir;
        } else if (result.startsWith('~/') || (platform === 'win32' && result.startsWith('~\\'))) {
            result = pathFor(platform).join(homedir, result.slice(2));
        }
    }
    if (workspaceFolder) {
        result = result.split('${workspaceFolder}').join(workspaceFolder);
    }
    return result;
}

/** True when the value should be treated as a file path rather than a command name. */
export function looksLikePath(value: string, platform: NodeJS.Platform): boolean {
    if (pathFor(platform).isAbsolute(value)) {
        return true;
    }
    return value.includes('/') || (platform === 'win32' && value.includes('\\'));
}

/** Executable extensions from PATHEXT (Windows only), lower-cased, with dots. */
export function pathExtensions(env: Record<string, string | undefined>, platform: NodeJS.Platform): string[] {
    if (platform !== 'win32') {
        return [];
    }
    const raw = getEnv(env, 'PATHEXT', platform) || '.COM;.EXE;.BAT;.CMD';
    return raw
        .split(';')
        .map((ext) => ext.trim().toLowerCase())
        .filter((ext) => ext.length > 0)
        .map((ext) => (ext.startsWith('.') ? ext : '.' + ext));
}

/**
 * Candidate file names for one base path: on POSIX just the path itself; on
 * Windows the path itself when it already has an executable extension,
 * otherwise the path with each PATHEXT extension appended.
 */
export function withExtensions(base: string, exts: string[], platform: NodeJS.Platform): string[] {
    if (platform !== 'win32') {
        return [base];
    }
    const current = pathFor(platform).extname(base).toLowerCase();
    if (current && exts.includes(current)) {
        return [base];
    }
    return exts.map((ext) => base + ext);
}

/** Directories listed in PATH, in order, with empty entries and Windows quotes removed. */
export function pathDirectories(env: Record<string, string | undefined>, platform: NodeJS.Platform): string[] {
    const raw = getEnv(env, 'PATH', platform) || '';
    const delimiter = platform === 'win32' ? ';' : ':';
    return raw
        .split(delimiter)
        .map((dir) => (platform === 'win32' ? dir.trim().replace(/^"(.*)"$/, '$1') : dir))
        .filter((dir) => dir.length > 0);
}

export function defaultIsExecutable(file: string): boolean {
    try {
        const stat = fs.statSync(file);
        if (!stat.isFile()) {
            return false;
        }
        if (process.platform !== 'win32') {
            fs.accessSync(file, fs.constants.X_OK);
        }
        return true;
    } catch {
        return false;
    }
}

/** File name of the executable bundled inside the extension. */
export function bundledServerPath(extensionPath: string, platform: NodeJS.Platform): string {
    const p = pathFor(platform);
    return p.join(extensionPath, 'server', platform === 'win32' ? 'jianggao.exe' : 'jianggao');
}

export function resolveServerPath(options: ResolveOptions = {}): ServerResolution {
    const platform = options.platform ?? process.platform;
    const env = options.env ?? process.env;
    const p = pathFor(platform);
    const homedir = options.homedir ?? (getEnv(env, platform === 'win32' ? 'USERPROFILE' : 'HOME', platform) || undefined);
    const isExecutable = options.isExecutable ?? defaultIsExecutable;
    const exts = pathExtensions(env, platform);
    const tried: string[] = [];

    const check = (candidates: string[]): string | undefined => {
        for (const candidate of candidates) {
            tried.push(candidate);
            if (isExecutable(candidate)) {
                return candidate;
            }
        }
        return undefined;
    };

    const raw = (options.setting ?? '').trim();
    const defaultSetting = raw.length === 0 || raw === DEFAULT_COMMAND;
    const requested = expandPath(defaultSetting ? DEFAULT_COMMAND : raw, homedir, options.workspaceFolder, platform);
    const found = (path: string, source: ResolveSource): ResolvedServer => ({ found: true, path, source, defaultSetting, requested, tried });
    const bundled = (): string | undefined =>
        options.extensionPath ? check([bundledServerPath(options.extensionPath, platform)]) : undefined;
    const onPath = (): string | undefined => {
        for (const dir of pathDirectories(env, platform)) {
            const hit = check(withExtensions(p.join(dir, requested), exts, platform));
            if (hit) {
                return hit;
            }
        }
        return undefined;
    };

    if (!defaultSetting && looksLikePath(requested, platform)) {
        let file = requested;
        if (!p.isAbsolute(file)) {
            file = p.resolve(options.workspaceFolder ?? (platform === 'win32' ? 'C:\\' : '/'), file);
        }
        const hit = check(withExtensions(file, exts, platform));
        if (hit) {
            return found(hit, 'setting');
        }
        return { found: false, requested, reason: 'explicit-path', tried };
    }

    // The default prefers the server shipped with this very extension, so the
    // extension and its server always match; a custom command name prefers PATH.
    const order: [() => string | undefined, ResolveSource][] = defaultSetting
        ? [[bundled, 'bundled'], [onPath, 'path']]
        : [[onPath, 'path'], [bundled, 'bundled']];
    for (const [look, source] of order) {
        const hit = look();
        if (hit) {
            return found(hit, source);
        }
    }
    return { found: false, requested, reason: 'not-on-path', tried };
}

/**
 * Why this binary was chosen, for the output channel (Chinese, then English),
 * so a bug report says which server ran.
 */
export function describeChoice(resolution: ResolvedServer): string {
    const name = `jianggao.server.path = "${resolution.requested}"`;
    switch (resolution.source) {
        case 'bundled':
            return resolution.defaultSetting
                ? '扩展自带的服务器（jianggao.server.path 为默认值） / the server bundled with this extension (jianggao.server.path is at its default)'
                : `PATH 中没有 ${resolution.requested}，改用扩展自带的服务器 / ${name} is not on PATH, so the server bundled with this extension`;
        case 'path':
            return resolution.defaultSetting
                ? '在 PATH 中找到（此扩展包不带服务器，jianggao.server.path 为默认值） / found on PATH (this extension package has no bundled server; jianggao.server.path is at its default)'
                : `在 PATH 中找到 ${resolution.requested} / ${name}, found on PATH`;
        case 'setting':
            return `设置 jianggao.server.path 指定的文件 / the file set in ${name}`;
    }
}

/**
 * VS Code client for jianggao (讲稿), a language server for Chinese official
 * speeches.  Starts `jianggao lsp` over stdio.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
    DidChangeConfigurationNotification,
    DidOpenTextDocumentNotification,
    LanguageClient,
    LanguageClientOptions,
    Middleware,
    ServerOptions,
    State,
} from 'vscode-languageclient/node';

import { DraftGate, emptyResultFor, requestDocumentUri } from './draftGate';
import { OPEN_SETTINGS, RETRY, SHOW_DETAILS, serverNotFoundDetails, serverNotFoundMessage } from './messages';
import { describeChoice, resolveServerPath } from './serverPath';
import { RESTART_KEYS, buildDocumentSelector, toServerSettings } from './settings';
import { STATISTICS_METHOD, parseStatistics, statisticsItems, statisticsReport } from './statistics';

const SECTION = 'jianggao';
const RENUMBER_KIND = 'refactor.rewrite.jianggao.renumber';

let client: LanguageClient | undefined;
let gate: DraftGate | undefined;
let log: vscode.LogOutputChannel;
let extensionContext: vscode.ExtensionContext;
/** Serialises start/stop/restart so rapid setting changes cannot race. */
let lifecycle: Promise<unknown> = Promise.resolve();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    extensionContext = context;
    log = vscode.window.createOutputChannel('Jianggao 讲稿', { log: true });
    context.subscriptions.push(log);

    context.subscriptions.push(
        vscode.commands.registerCommand('jianggao.restartServer', () => queue(restartClient)),
        vscode.commands.registerCommand('jianggao.showStatistics', showStatistics),
        vscode.commands.registerCommand('jianggao.renumber', renumber),
        vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
    );

    await queue(startClient);
}

export async function deactivate(): Promise<void> {
    await queue(stopClient);
}

function queue(step: () => Promise<unknown>): Promise<unknown> {
    lifecycle = lifecycle.then(step, step).catch((error) => log.error(String(error)));
    return lifecycle;
}

function firstWorkspaceFolder(): string | undefined {
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    return folder?.uri.fsPath;
}

function serverSettings(scope?: vscode.ConfigurationScope) {
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    return toServerSettings((key) => config.get(key));
}

async function startClient(): Promise<void> {
    if (client) {
        return;
    }
    const config = vscode.workspace.getConfiguration(SECTION);
    const resolution = resolveServerPath({
        setting: config.get<string>('server.path'),
        extensionPath: extensionContext.extensionPath,
        workspaceFolder: firstWorkspaceFolder(),
        homedir: os.homedir(),
    });

    if (!resolution.found) {
        log.error(serverNotFoundDetails(resolution));
        void vscode.window.showErrorMessage(serverNotFoundMessage(resolution), OPEN_SETTINGS, RETRY, SHOW_DETAILS).then((choice) => {
            if (choice === OPEN_SETTINGS) {
                void vscode.commands.executeCommand('workbench.action.openSettings', 'jianggao.server.path');
            } else if (choice === RETRY) {
                void queue(restartClient);
            } else if (choice === SHOW_DETAILS) {
                log.show();
            }
        });
        return;
    }
    log.info(`启动语言服务器 Starting the language server: ${resolution.path} — ${describeChoice(resolution)}`);

    const serverOptions: ServerOptions = {
        // No `transport`: plain stdio without an extra `--stdio` argument.
        command: resolution.path,
        args: ['lsp'],
        options: { cwd: firstWorkspaceFolder() },
    };

    gate = new DraftGate(config.get<boolean>('onlyChineseDrafts') === true);
    const clientOptions: LanguageClientOptions = {
        documentSelector: buildDocumentSelector(config.get('languages'), config.get('filePatterns')),
        initializationOptions: () => serverSettings(),
        outputChannel: log,
        synchronize: {
            // The glossary: let the server reload it when it changes on disk.
            fileEvents: vscode.workspace.createFileSystemWatcher('**/jianggao.toml'),
        },
        middleware: buildMiddleware(gate),
        // Default error handler: restarts a crashed server up to 4 times in 3 minutes.
    };

    const newClient = new LanguageClient(SECTION, 'Jianggao 讲稿', serverOptions, clientOptions);
    client = newClient;
    try {
        await newClient.start();
        const info = newClient.initializeResult?.serverInfo;
        log.info(`语言服务器已启动 Language server started: ${resolution.path} (${info ? `${info.name} ${info.version ?? ''}`.trim() : 'no serverInfo'})`);
    } catch (error) {
        log.error(`Failed to start ${resolution.path} lsp: ${String(error)}`);
        void vscode.window.showErrorMessage(
            `讲稿语言服务器启动失败：${String(error)} | Failed to start the jianggao language server: ${String(error)}`,
            OPEN_SETTINGS,
            SHOW_DETAILS,
        ).then((choice) => {
            if (choice === OPEN_SETTINGS) {
                void vscode.commands.executeCommand('workbench.action.openSettings', 'jianggao.server.path');
            } else if (choice === SHOW_DETAILS) {
                log.show();
            }
        });
    }
}

async function stopClient(): Promise<void> {
    const old = client;
    client = undefined;
    gate = undefined;
    if (old) {
        try {
            if (old.state !== State.Stopped) {
                await old.stop(2000);
            }
        } catch (error) {
            log.warn(`stopping the server: ${String(error)}`);
        }
        await old.dispose().catch(() => undefined);
    }
}

async function restartClient(): Promise<void> {
    await stopClient();
    await startClient();
}

function buildMiddleware(draftGate: DraftGate): Middleware {
    return {
        didOpen: (document, next) => (draftGate.open(document.uri.toString(), document.getText()) ? next(document) : Promise.resolve()),
        didChange: async (event, next) => {
            const uri = event.document.uri.toString();
            switch (draftGate.change(uri, event.document.getText())) {
                case 'forward':
                    return next(event);
                case 'open':
                    // The document just gained Chinese text: hand the whole,
                    // current document to the server instead of this change.
                    if (client) {
                        await client.sendNotification(
                            DidOpenTextDocumentNotification.type,
                            client.code2ProtocolConverter.asOpenTextDocumentParams(event.document),
                        );
                    }
                    return;
                case 'drop':
                    return;
            }
        },
        didSave: (document, next) => (draftGate.allows(document.uri.toString()) ? next(document) : Promise.resolve()),
        willSave: (event, next) => (draftGate.allows(event.document.uri.toString()) ? next(event) : Promise.resolve()),
        willSaveWaitUntil: (event, next) => (draftGate.allows(event.document.uri.toString()) ? next(event) : Promise.resolve([])),
        didClose: (document, next) => (draftGate.close(document.uri.toString()) ? next(document) : Promise.resolve()),
        // Every request about a document that the server must not see is
        // answered here with an empty result.
        sendRequest: (type, param, token, next) => {
            const uri = requestDocumentUri(param);
            if (uri !== undefined && !draftGate.allows(uri)) {
                const method = typeof type === 'string' ? type : type.method;
                return Promise.resolve(emptyResultFor(method) as never);
            }
            return next(type, param, token);
        },
        workspace: {
            // Answer `workspace/configuration` for section `jianggao` with the
            // cleaned-up settings object the server expects.
            configuration: async (params, token, next) => {
                const defaults = await next(params, token);
                if (!Array.isArray(defaults)) {
                    return defaults;
                }
                return params.items.map((item, index) => {
                    if (item.section !== SECTION) {
                        return defaults[index];
                    }
                    const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
                    return serverSettings(scope);
                });
            },
        },
    };
}

function onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration(SECTION)) {
        return;
    }
    if (RESTART_KEYS.some((key) => event.affectsConfiguration(key))) {
        log.info('settings changed that need a restart; restarting the server');
        void queue(restartClient);
        return;
    }
    if (client && client.state === State.Running) {
        // Push model for servers that use it; pull-model servers re-read
        // `workspace/configuration` on this notification.
        void client
            .sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: serverSettings() } })
            .catch((error) => log.warn(`didChangeConfiguration: ${String(error)}`));
    }
}

async function showStatistics(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
        void vscode.window.showInformationMessage('讲稿：请先打开一篇讲稿。 | Jianggao: open a draft first.');
        return;
    }
    if (!client || client.state !== State.Running) {
        void vscode.window.showWarningMessage('讲稿：语言服务器未运行。 | Jianggao: the language server is not running.', RETRY).then((choice) => {
            if (choice === RETRY) {
                void queue(restartClient);
            }
        });
        return;
    }
    const document = editor.document;
    let raw: unknown;
    try {
        raw = await client.sendRequest(STATISTICS_METHOD, {
            textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
        });
    } catch (error) {
        log.error(`${STATISTICS_METHOD}: ${String(error)}`);
        void vscode.window.showErrorMessage(`讲稿：统计失败 | Jianggao: statistics failed: ${String(error)}`);
        return;
    }
    const stats = parseStatistics(raw);
    if (!stats) {
        void vscode.window.showInformationMessage(
            '讲稿：此文档没有统计结果（不是讲稿，或未由讲稿服务处理）。 | Jianggao: no statistics for this document (not a draft handled by jianggao).',
        );
        return;
    }
    log.info(statisticsReport(stats, vscode.workspace.asRelativePath(document.uri)));

    const items = statisticsItems(stats).map((item) => ({ ...item, alwaysShow: true }));
    const picked = await vscode.window.showQuickPick(items, {
        title: '讲稿统计 Speech statistics',
        placeHolder: '选择一部分以跳转 / pick a section to jump to it',
        matchOnDescription: true,
    });
    if (picked && picked.line !== undefined && vscode.window.activeTextEditor?.document === document) {
        const line = Math.min(picked.line, document.lineCount - 1);
        const position = new vscode.Position(line, 0);
        const target = vscode.window.activeTextEditor;
        target.selection = new vscode.Selection(position, position);
        target.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
    }
}

async function renumber(): Promise<void> {
    if (!vscode.window.activeTextEditor) {
        void vscode.window.showInformationMessage('讲稿：请先打开一篇讲稿。 | Jianggao: open a draft first.');
        return;
    }
    await vscode.commands.executeCommand('editor.action.codeAction', {
        kind: RENUMBER_KIND,
        apply: 'first',
    });
}

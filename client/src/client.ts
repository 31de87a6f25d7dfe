/**
 * The language client: dist/server.js over IPC, for Chef files only — recipes, attributes, resources,
 * providers, definitions, libraries, metadata.rb, templates, YAML recipes — so other Ruby files stay with
 * Ruby LSP or whatever else the user runs.
 */
import * as vscode from 'vscode';
import { PREVIEW_RENDERED_FILE_COMMAND } from '../../server/src/customMethods';
import { LanguageClient, State, TransportKind, type DocumentSelector, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export const CHEF_TEMPLATE_LANGUAGES = ['chef-erb', 'chef-erb-json', 'chef-erb-yaml', 'chef-erb-shell', 'chef-erb-xml', 'chef-erb-html', 'chef-erb-ini'];

export const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: 'file', language: 'ruby', pattern: '**/{recipes,attributes,resources,providers,definitions,libraries}/**/*.rb' },
  { scheme: 'file', language: 'ruby', pattern: '**/metadata.rb' },
  ...CHEF_TEMPLATE_LANGUAGES.map((language) => ({ scheme: 'file', language })),
  { scheme: 'file', language: 'yaml', pattern: '**/recipes/*.{yml,yaml}' },
  // The inputs of a run: their problems are diagnostics there, and an edit redoes the run.
  { scheme: 'file', language: 'yaml', pattern: '**/{kitchen,.kitchen}*.{yml,yaml}' },
  { scheme: 'file', language: 'json', pattern: '**/{roles,environments}/**/*.json' },
  { scheme: 'file', language: 'ruby', pattern: '**/{roles,environments}/**/*.rb' },
  { scheme: 'file', language: 'ruby', pattern: '**/Policyfile.rb' },
  // The repository's choices about findings: its own problems show there, an edit re-reports the rest.
  { scheme: 'file', language: 'json', pattern: '**/.cloche.json' },
];

export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: log,
    // Workspace Trust decides whether the server may run the linter (RuboCop loads the workspace's plugins).
    initializationOptions: { settings: vscode.workspace.getConfiguration('cloche'), trusted: vscode.workspace.isTrusted },
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{metadata.rb,*.rb,*.erb,recipes/*.yml,recipes/*.yaml,kitchen*.yml,.kitchen*.yml,roles/**/*.json,environments/**/*.json,.cloche.json}') },
    // Errors are shown by the status item with what to do; the client does not pop up its own.
    revealOutputChannelOn: 4 /* RevealOutputChannelOn.Never */,
    // Hovers link to the rendered-file preview; no other command runs from server markdown.
    // Recipe text in server markdown is escaped (server/src/lang/markdown.ts); no HTML or theme icons either way.
    markdown: { isTrusted: { enabledCommands: [PREVIEW_RENDERED_FILE_COMMAND] }, supportHtml: false, supportThemeIcons: false },
  };
  return new LanguageClient('cloche', 'Cloche', serverOptions, clientOptions);
}

/**
 * The client once it runs: one still starting (a view opened while the extension activates) is
 * waited for; one stopped or failed to start is undefined.
 */
export function whenRunning(client: LanguageClient | undefined, timeoutMs = 60_000): Promise<LanguageClient | undefined> {
  if (!client || client.isRunning()) return Promise.resolve(client);
  if (client.state !== State.Starting) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); listening.dispose(); resolve(client.isRunning() ? client : undefined); };
    const timer = setTimeout(done, timeoutMs);
    const listening = client.onDidChangeState((e) => { if (e.newState !== State.Starting) done(); });
  });
}

export function describeState(state: State): 'starting' | 'running' | 'stopped' {
  return state === State.Running ? 'running' : state === State.Starting ? 'starting' : 'stopped';
}

/** Entry of the graph webview bundle (dist/webview/graph.js): wires the VS Code webview API to the app. */
import { isToWebview, type FromWebview } from '../messages';
import { GraphApp } from './app';
import './graph.css';

declare function acquireVsCodeApi(): { postMessage(m: FromWebview): void; getState(): unknown; setState(s: unknown): void };

const vscode = acquireVsCodeApi();
window.addEventListener('error', (e) => vscode.postMessage({ type: 'log', level: 'error', message: `webview: ${e.message}` }));
const app = new GraphApp(document.getElementById('app') ?? document.body, vscode);
window.addEventListener('message', (e: MessageEvent<unknown>) => { if (isToWebview(e.data)) app.receive(e.data); });

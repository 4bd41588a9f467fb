// The webview's script (webview/moduleView.ts), bundled by esbuild.mjs and put here as text.
declare const RW_WEBVIEW_SCRIPT: string;
export const webviewScript: string = RW_WEBVIEW_SCRIPT;

import type { AppRecord } from '../ports/store.js';

/** What a developer pastes into an app to point the ConnectyCube SDK (or @parley/sdk) at this server. */
export function connectSnippet(app: AppRecord, publicUrl: string, chatDomain: string, created: boolean, conferencePath?: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  const websocket = `${base.replace(/^http/, 'ws')}/ws`;
  return [
    '',
    `${created ? 'Created' : 'Using'} application "${app.name}": id ${app.id}, auth key ${app.authKey}`,
    'Connect an app built with the ConnectyCube SDK (or @parley/sdk):',
    '',
    'ConnectyCube.init(',
    `  { appId: ${app.id}, authKey: ${JSON.stringify(app.authKey)} },`,
    conferencePath === undefined
      ? `  { endpoints: { api_url: ${JSON.stringify(base)}, chat: ${JSON.stringify(chatDomain)}, chat_url: ${JSON.stringify(websocket)} } }`
      : `  { endpoints: { api_url: ${JSON.stringify(base)}, chat: ${JSON.stringify(chatDomain)}, chat_url: ${JSON.stringify(websocket)} },\n    conference: { server: ${JSON.stringify(base.replace(/^http/, 'ws') + conferencePath)} } }`,
    ');',
    '',
  ].join('\n');
}

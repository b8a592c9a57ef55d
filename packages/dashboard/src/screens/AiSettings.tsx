import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { ErrorNote, Notice, useAction, useLoad } from '../ui.js';

interface AiView {
  source: string;
  provider: string | null;
  model: string | null;
  base_url: string | null;
  api_key: string | null;
}

/** The app's AI provider (summaries, tone rewrites): keys go in, only their last characters come back. */
export function AiSettings({ appId }: { appId: number }) {
  const { data, error, reload } = useLoad(() => api<AiView>('GET', `/admin/apps/${appId}/ai`), [appId]);
  const [provider, setProvider] = useState('none');
  const [model, setModel] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const action = useAction();
  useEffect(() => {
    if (!data) return;
    setProvider(data.source === 'app' ? (data.provider ?? 'none') : 'server');
    setModel(data.model ?? '');
    setBaseUrl(data.base_url ?? '');
  }, [data]);
  if (error) return <ErrorNote error={error} onRetry={reload} />;
  if (!data) return null;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    await action.run(async () => {
      if (provider === 'server') await api('DELETE', `/admin/apps/${appId}/ai`);
      else await api('PUT', `/admin/apps/${appId}/ai`, { provider, ...(model ? { model } : {}), ...(baseUrl ? { base_url: baseUrl } : {}), ...(apiKey ? { api_key: apiKey } : {}) });
      setApiKey('');
      reload();
    }, 'AI settings saved');
  };
  return (
    <form className="card" onSubmit={(event) => void save(event)}>
      <h3>AI provider</h3>
      <p className="muted small">
        {data.provider
          ? `Now: ${data.source === 'app' ? 'this application’s own' : 'the server’s'} provider, ${data.provider}${data.model ? ` (${data.model})` : ''}${data.api_key ? `, key ${data.api_key}` : ''}.`
          : `Now: no AI provider${data.source === 'app' ? ' (turned off for this application)' : ''}: summaries are extractive and tone rewrites are off.`}
      </p>
      <div className="grid">
        <label>
          Provider
          <select value={provider} onChange={(event) => setProvider(event.target.value)}>
            <option value="server">Server default</option>
            <option value="none">None (AI off)</option>
            <option value="google">Google Gemini</option>
            <option value="openai-compatible">OpenAI-compatible</option>
          </select>
        </label>
        {provider !== 'server' && provider !== 'none' && (
          <>
            <label>
              Model
              <input value={model} onChange={(event) => setModel(event.target.value)} />
            </label>
            <label>
              Base URL
              <input value={baseUrl} onChange={(event) => setBaseUrl(event.target.value)} placeholder="https://…" />
            </label>
            <label>
              API key
              <input type="password" autoComplete="off" value={apiKey} onChange={(event) => setApiKey(event.target.value)} placeholder="unchanged" />
            </label>
          </>
        )}
      </div>
      {action.error && <ErrorNote error={action.error} />}
      {action.notice && <Notice text={action.notice} />}
      <button type="submit" disabled={action.busy}>
        Save AI settings
      </button>
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { ErrorNote } from '../ui.js';

interface SessionInfo {
  login: string;
  csrf_token: string;
}

export function SignIn({ onSignedIn }: { onSignedIn: (info: SessionInfo) => void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      onSignedIn(await api<SessionInfo>('POST', '/admin/session', { login, password }));
    } catch (failure) {
      setError((failure as Error).message);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in" id="main">
      <form onSubmit={(event) => void submit(event)} className="card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Parley dashboard</h1>
        <p className="muted">
          Sign in as an operator. No account yet? On the server, run:
          <code className="block">npm run parley -- admin create --login NAME</code>
        </p>
        <label>
          Login
          <input name="login" autoComplete="username" required value={login} onChange={(event) => setLogin(event.target.value)} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </label>
        {error && <ErrorNote error={error} />}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

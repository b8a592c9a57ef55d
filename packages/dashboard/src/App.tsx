import { useEffect, useState } from 'react';
import { api, setCsrfToken, type AppSummary } from './api.js';
import { Applications } from './screens/Applications.js';
import { CustomData } from './screens/CustomData.js';
import { Dialogs } from './screens/Dialogs.js';
import { LiveOverview } from './screens/LiveOverview.js';
import { Meetings } from './screens/Meetings.js';
import { Push } from './screens/Push.js';
import { SignIn } from './screens/SignIn.js';
import { Users } from './screens/Users.js';
import { ErrorNote, Loading } from './ui.js';

interface SessionInfo {
  login: string;
  csrf_token: string;
}

const screens = [
  { path: 'live', title: 'Live overview', needsApp: false },
  { path: 'apps', title: 'Applications', needsApp: false },
  { path: 'users', title: 'Users', needsApp: true },
  { path: 'dialogs', title: 'Dialogs', needsApp: true },
  { path: 'data', title: 'Custom data', needsApp: true },
  { path: 'push', title: 'Push', needsApp: true },
  { path: 'meetings', title: 'Meetings', needsApp: true },
] as const;
type ScreenPath = (typeof screens)[number]['path'];

function screenFromLocation(): ScreenPath {
  const wanted = window.location.pathname.replace(/^\/dashboard\/?/, '').split('/')[0];
  return screens.find((screen) => screen.path === wanted)?.path ?? 'live';
}

function appFromLocation(): number | undefined {
  const id = Number(new URLSearchParams(window.location.search).get('app'));
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

export function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [screen, setScreen] = useState<ScreenPath>(screenFromLocation);
  const [apps, setApps] = useState<AppSummary[]>([]);
  const [appId, setAppId] = useState<number | undefined>(appFromLocation);
  const [appsError, setAppsError] = useState('');

  useEffect(() => {
    api<SessionInfo>('GET', '/admin/session').then(
      (info) => {
        setCsrfToken(info.csrf_token);
        setSession(info);
      },
      () => setSession(null),
    );
    const signedOut = () => setSession(null);
    const back = () => {
      setScreen(screenFromLocation());
      setAppId(appFromLocation());
    };
    window.addEventListener('parley:signed-out', signedOut);
    window.addEventListener('popstate', back);
    return () => {
      window.removeEventListener('parley:signed-out', signedOut);
      window.removeEventListener('popstate', back);
    };
  }, []);

  const loadApps = () =>
    api<AppSummary[]>('GET', '/admin/apps').then(
      (list) => {
        setApps(list);
        setAppsError('');
        setAppId((current) => (current !== undefined && list.some((app) => app.id === current) ? current : list[0]?.id));
      },
      (error: Error) => setAppsError(error.message),
    );
  useEffect(() => {
    if (session) void loadApps();
  }, [session]);

  const current = screens.find((item) => item.path === screen) ?? screens[0];
  useEffect(() => {
    document.title = `${current.title} · Parley dashboard`;
  }, [current.title]);

  const go = (path: ScreenPath, nextApp = appId) => {
    setScreen(path);
    setAppId(nextApp);
    window.history.pushState(null, '', `/dashboard/${path}${nextApp === undefined ? '' : `?app=${nextApp}`}`);
  };

  if (session === undefined) return <Loading />;
  if (session === null) return <SignIn onSignedIn={(info) => (setCsrfToken(info.csrf_token), setSession(info))} />;

  const signOut = async () => {
    await api('DELETE', '/admin/session').catch(() => undefined);
    setCsrfToken('');
    setSession(null);
  };

  return (
    <div className="layout">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Parley</span>
        <nav aria-label="Screens">
          <ul>
            {screens.map((item) => (
              <li key={item.path}>
                <a
                  href={`/dashboard/${item.path}${appId === undefined ? '' : `?app=${appId}`}`}
                  aria-current={item.path === screen ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    go(item.path);
                  }}
                >
                  {item.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span className="muted">{session.login}</span>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <div className="heading">
          <h1>{current.title}</h1>
          {current.needsApp && apps.length > 0 && (
            <label className="app-picker">
              Application
              <select value={appId ?? ''} onChange={(event) => go(screen, Number(event.target.value))}>
                {apps.map((app) => (
                  <option key={app.id} value={app.id}>
                    {app.name} (#{app.id})
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        {appsError && <ErrorNote error={appsError} onRetry={() => void loadApps()} />}
        {current.needsApp && apps.length === 0 && !appsError && <p className="empty">No application yet: create one under Applications.</p>}
        {screen === 'live' && <LiveOverview />}
        {screen === 'apps' && <Applications apps={apps} onChanged={loadApps} selected={appId} onSelect={(id) => setAppId(id)} onOpenPush={(id) => go('push', id)} />}
        {screen === 'users' && appId !== undefined && <Users key={appId} appId={appId} />}
        {screen === 'dialogs' && appId !== undefined && <Dialogs key={appId} appId={appId} />}
        {screen === 'data' && appId !== undefined && <CustomData key={appId} appId={appId} />}
        {screen === 'push' && appId !== undefined && <Push key={appId} appId={appId} />}
        {screen === 'meetings' && appId !== undefined && <Meetings key={appId} appId={appId} />}
      </main>
    </div>
  );
}

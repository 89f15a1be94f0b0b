import { useEffect, useState, type FormEvent } from 'react';
import { firstRunHint, signIn } from '../../api/webSession';
import { useT } from '../../i18n/useT';
import { connectWeb } from '../../app/connect';

export function SignInScreen() {
  const t = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [initialFile, setInitialFile] = useState<string | null>(null);
  useEffect(() => {
    void firstRunHint().then(setInitialFile);
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const outcome = await signIn(username, password);
      if (outcome.ok) {
        await connectWeb(outcome.username);
        return;
      }
      if (outcome.status === 429) {
        const seconds = /(\d+)\s*s/.exec(outcome.error.message)?.[1] ?? '60';
        setError(t('signin.throttled', { seconds }));
      } else if (outcome.status === 401) {
        setError(t('signin.wrong'));
      } else {
        setError(outcome.error.message);
      }
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">{t('signin.title')}</h1>
        {initialFile && (
          <p className="hint" data-testid="signin-first-run">
            {t('signin.firstRun', { file: initialFile })}
          </p>
        )}
        <label>
          {t('signin.username')}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        <label>
          {t('signin.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error && (
          <p role="alert" className="error" data-testid="signin-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('signin.busy') : t('signin.submit')}
        </button>
      </form>
    </main>
  );
}

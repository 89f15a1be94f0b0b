import { useState, type FormEvent } from 'react';
import type { OperatorView } from '../../../shared/ipc/contract';
import { roles, type OperatorRole } from '../../../shared/ipc/roles';
import { formatShortTime } from '../../components/format';
import { TitledTable } from '../../components/TitledTable';
import { useConsoleCall } from '../../components/useConsoleCall';
import { useT } from '../../i18n/useT';
import { useConsoleStore } from '../../state/store';

/** Who is signed in (everyone sees it) and, for admins, the operator accounts: add, disable, reset password. */
export function OperatorsScreen() {
  const t = useT();
  const role = useConsoleStore((s) => s.role);
  return (
    <section className="stack">
      <SignedIn />
      {role === 'admin' ? <Accounts /> : <p className="muted">{t('operators.adminOnly')}</p>}
      {role === 'admin' && <AddOperator />}
    </section>
  );
}

function SignedIn() {
  const t = useT();
  const sessions = useConsoleStore((s) => s.operatorSessions);
  const language = useConsoleStore((s) => s.language);
  return (
    <TitledTable
      id="ops-signed-in"
      title={t('operators.signedIn')}
      testId="operator-sessions"
      headers={[t('operators.username'), t('operators.role'), t('operators.address'), t('operators.since'), t('operators.lastSeen')]}
    >
      {sessions.map((s, i) => (
        <tr key={i} data-testid={`operator-session-${s.username}`}>
          <td>{s.username}</td>
          <td>{t(`role.${s.role}`)}</td>
          <td className="mono">{s.address}</td>
          <td>{formatShortTime(s.signedInAt, language)}</td>
          <td>{formatShortTime(s.lastSeenAt, language)}</td>
        </tr>
      ))}
    </TitledTable>
  );
}

function Accounts() {
  const t = useT();
  const accounts = useConsoleStore((s) => s.operatorAccounts);
  return (
    <TitledTable
      id="ops-accounts"
      title={t('operators.title')}
      testId="operator-accounts"
      headers={[t('operators.username'), t('operators.role'), t('operators.state'), t('operators.source'), '']}
    >
      {accounts.map((a) => (
        <AccountRow key={a.username} account={a} />
      ))}
    </TitledTable>
  );
}

function AccountRow({ account: a }: { account: OperatorView }) {
  const t = useT();
  const self = useConsoleStore((s) => s.operator);
  const { run, busy } = useConsoleCall();
  const [password, setPassword] = useState('');
  const name = a.username;
  return (
    <tr data-testid={`operator-row-${name}`} data-disabled={a.disabled}>
      <td>{name}</td>
      <td>{t(`role.${a.role}`)}</td>
      <td className={a.disabled ? 'error' : 'ok'}>{a.disabled ? t('operators.disabled') : t('operators.enabled')}</td>
      <td>{t(`operators.source.${a.source}`)}</td>
      <td className="row-actions">
        {name !== self && (
          <button
            type="button"
            disabled={busy}
            data-testid={`operator-toggle-${name}`}
            onClick={() =>
              void run(
                'operators:setDisabled',
                { username: name, disabled: !a.disabled },
                t('operators.toggled', { name, state: a.disabled ? t('operators.enabled') : t('operators.disabled') }),
              )
            }
          >
            {a.disabled ? t('operators.enable', { name }) : t('operators.disable', { name })}
          </button>
        )}
        <form
          className="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            void run('operators:resetPassword', { username: name, password }, t('operators.resetDone', { name })).then((r) => r && setPassword(''));
          }}
        >
          <NewPasswordInput value={password} onChange={setPassword} testId={`operator-password-${name}`} />
          <button type="submit" disabled={busy} data-testid={`operator-reset-${name}`}>
            {t('operators.reset', { name })}
          </button>
        </form>
      </td>
    </tr>
  );
}

function AddOperator() {
  const t = useT();
  const { run, busy, error } = useConsoleCall();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<OperatorRole>('operator');
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await run('operators:add', { username, password, role }, t('operators.added', { name: username }));
    if (r) {
      setUsername('');
      setPassword('');
    }
  }
  return (
    <form className="toolbar wrap card" onSubmit={(e) => void submit(e)} aria-label={t('operators.add')} data-testid="operator-add">
      <strong>{t('operators.add')}</strong>
      <input
        required
        maxLength={64}
        aria-label={t('operators.username')}
        placeholder={t('operators.username')}
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        data-testid="operator-add-username"
      />
      <NewPasswordInput value={password} onChange={setPassword} testId="operator-add-password" />
      <select aria-label={t('operators.role')} value={role} onChange={(e) => setRole(e.target.value as OperatorRole)} data-testid="operator-add-role">
        {roles.map((r) => (
          <option key={r} value={r}>
            {t(`role.${r}`)}
          </option>
        ))}
      </select>
      <button type="submit" className="primary" disabled={busy} data-testid="operator-add-submit">
        {t('operators.add')}
      </button>
      {error && <span className="error">{error}</span>}
    </form>
  );
}

/** A new operator password (at least 8 characters), for adding an operator and for a reset. */
function NewPasswordInput({ value, onChange, testId }: { value: string; onChange: (v: string) => void; testId: string }) {
  const t = useT();
  return (
    <input
      type="password"
      autoComplete="new-password"
      minLength={8}
      required
      aria-label={t('operators.password')}
      placeholder={t('operators.password')}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      data-testid={testId}
    />
  );
}

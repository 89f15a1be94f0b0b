/** Operator sign-in on the web host (cookie session; the cookie itself is HttpOnly). */
import type { WireError } from '../../shared/result';
import { Codes } from '../../shared/codes';

export type SignInOutcome = { ok: true; username: string } | { ok: false; status: number; error: WireError };

export async function signIn(username: string, password: string): Promise<SignInOutcome> {
  const res = await fetch('/console/api/signin', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
    credentials: 'same-origin',
  });
  const body = (await res.json().catch(() => null)) as { ok: boolean; value?: { username: string }; error?: WireError } | null;
  if (res.ok && body?.ok && body.value) return { ok: true, username: body.value.username };
  return { ok: false, status: res.status, error: body?.error ?? { code: Codes.INTERNAL, message: `sign-in failed (${res.status})` } };
}

export async function currentSession(): Promise<string | null> {
  const res = await fetch('/console/api/session', { credentials: 'same-origin' });
  if (!res.ok) return null;
  const body = (await res.json()) as { value?: { username: string } };
  return body.value?.username ?? null;
}

export async function signOut(): Promise<void> {
  await fetch('/console/api/signout', { method: 'POST', credentials: 'same-origin' });
}

/** Where the first admin password is, while it still stands (the sign-in page's first-run hint). */
export async function firstRunHint(): Promise<string | null> {
  try {
    const res = await fetch('/console/api/first-run', { credentials: 'same-origin' });
    if (!res.ok) return null;
    const body = (await res.json()) as { value?: { initialPasswordFile: string | null } };
    return body.value?.initialPasswordFile ?? null;
  } catch {
    return null;
  }
}

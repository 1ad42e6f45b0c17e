'use client';

import { useActionState, useRef, useState } from 'react';
import { FormMessage } from '@/app/_components/form-controls';
import { RelativeTime } from '@/app/_components/relative-time';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { idleState } from '@/app/_lib/http/action-state';
import { endSessionsAction } from './actions';

/** A sign-in as the list shows it; times come formatted from the server (app/_components/timestamp.tsx). */
export type SessionItem = {
  id: string;
  device: string;
  method: string;
  network: string | null;
  created: { iso: string; exact: string };
  lastSeen: { iso: string; exact: string };
  current: boolean;
};

/** The plain form this browser's own "Sign out" and "Sign out everywhere" post (POST /signout clears the cookie). */
const SIGN_OUT_FORM = 'session-signout';

/**
 * The reader's sign-ins, each with "Sign out", and "Sign out everywhere else": one form, one
 * message. This browser's own row posts the sign-out form below instead, which also clears
 * its cookie.
 */
export function SessionList({ sessions }: { sessions: SessionItem[] }) {
  const [state, action, pending] = useActionState(endSessionsAction, idleState, '/profile#sessions');
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  const others = sessions.filter((session) => !session.current).length;
  return (
    <form ref={formRef} action={action} className="session-list" aria-labelledby="sessions-heading">
      <ul className="sessions">
        {sessions.map((session) => (
          <li key={session.id} className="session">
            <p className="session__device">
              <strong>{session.device}</strong>
              {session.current ? <span className="session__here"> · this browser</span> : null}
            </p>
            <p className="session__meta">
              Signed in <RelativeTime iso={session.created.iso} exact={session.created.exact} /> {session.method}
              {session.network ? `, from the network ${session.network}` : ''}. Last active <RelativeTime iso={session.lastSeen.iso} exact={session.lastSeen.exact} />.
            </p>
            {session.current ? (
              <button type="submit" form={SIGN_OUT_FORM} className="button" aria-label={`Sign out ${session.device} (this browser)`}>
                Sign out
              </button>
            ) : (
              <button type="submit" name="sessionId" value={session.id} className="button" disabled={pending} aria-label={`Sign out ${session.device}, signed in ${session.created.exact}`}>
                {pending ? 'Signing out…' : 'Sign out'}
              </button>
            )}
          </li>
        ))}
      </ul>
      <FormMessage state={state} />
      {others > 0 ? (
        <button type="submit" name="scope" value="others" className="button" disabled={pending}>
          {pending ? 'Signing out…' : 'Sign out everywhere else'}
        </button>
      ) : (
        <p>No other browser is signed in to your account.</p>
      )}
    </form>
  );
}

/**
 * "Sign out everywhere" (scope=everywhere) and this browser's own "Sign out" (no scope): a plain
 * post to /signout, as the header's button, which clears the cookie and leaves the profile.
 */
export function SignOutEverywhere() {
  const [pending, setPending] = useState(false);
  return (
    <form id={SIGN_OUT_FORM} method="post" action="/signout" className="form" aria-label="Sign out everywhere" onSubmit={() => setPending(true)}>
      <p className="field__hint">Signs out this browser too. Use it if you think someone else has signed in to your account, then change your password.</p>
      <button type="submit" name="scope" value="everywhere" className="button" disabled={pending} aria-disabled={pending}>
        {pending ? 'Signing out…' : 'Sign out everywhere'}
      </button>
    </form>
  );
}

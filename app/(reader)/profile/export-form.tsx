'use client';

import { useState, type FormEvent } from 'react';

type State = { status: 'idle' | 'pending' | 'ok' | 'error'; message: string };

/**
 * "Download my data". Without JavaScript the form posts to the route, and the browser saves the
 * answer (Content-Disposition: attachment). With it, the same post is fetched here so the form
 * can say that it is working, and what came of it (a refusal is shown, not opened as a page).
 */
export function ExportForm() {
  const [state, setState] = useState<State>({ status: 'idle', message: '' });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setState({ status: 'pending', message: 'Preparing your file…' });
    try {
      const response = await fetch(event.currentTarget.action, { method: 'POST', body: new FormData(event.currentTarget) });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        setState({ status: 'error', message: body?.error?.message ?? 'The file could not be prepared. Try again.' });
        return;
      }
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'my-data.json';
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement('a'), { href: url, download: name });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ status: 'ok', message: `Downloaded ${name}.` });
    } catch {
      setState({ status: 'error', message: 'The download was interrupted. Check your connection and try again.' });
    }
  }

  const pending = state.status === 'pending';
  return (
    <form method="post" action="/profile/export" className="form" aria-labelledby="data-heading" onSubmit={submit}>
      <p className={`form-message ${state.status === 'error' ? 'form-message--error' : 'form-message--ok'}`} role="status" aria-live="polite">
        {state.message}
      </p>
      <button type="submit" className="button button--primary" disabled={pending} aria-disabled={pending}>
        {pending ? 'Preparing…' : 'Download my data'}
      </button>
    </form>
  );
}

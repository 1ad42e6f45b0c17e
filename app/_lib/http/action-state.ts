import type { ErrorCode, Refusal } from './errors';

/**
 * What every form action returns, and what its form renders from. Values the reader typed are
 * echoed back (never a password), so a refused form keeps its text.
 */
export type ActionStatus = 'idle' | 'ok' | 'invalid' | 'unauthorized' | 'forbidden' | 'rate_limited';

export type ActionState = {
  status: ActionStatus;
  message?: string;
  fields?: Record<string, string>;
  values?: Record<string, string>;
};

export const idleState: ActionState = { status: 'idle' };

/** The form status of a refusal, from its kind: the one mapping every action uses. */
export function statusOf(code: ErrorCode): Exclude<ActionStatus, 'idle' | 'ok'> {
  const kind = code.slice(0, code.indexOf(':'));
  if (kind === 'unauthorized') return 'unauthorized';
  if (kind === 'forbidden' || kind === 'closed') return 'forbidden';
  if (kind === 'rate_limited') return 'rate_limited';
  return 'invalid';
}

/** A refused form: its message, the fields at fault and what the reader typed. */
export function refusedState(refusal: Refusal, values?: Record<string, string>): ActionState {
  return { status: statusOf(refusal.code), message: refusal.message, ...(refusal.fields ? { fields: refusal.fields } : {}), ...(values ? { values } : {}) };
}

/** Text fields of a form, for echoing back. Files and non-string entries are ignored. */
export function formValues(formData: FormData, names: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = formData.get(name);
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}

/**
 * What every form action returns, and what its form renders from. Values the reader typed are
 * echoed back (never a password), so a refused form keeps its text.
 */
export type ActionStatus = 'idle' | 'ok' | 'invalid' | 'unauthorized' | 'forbidden' | 'rate_limited' | 'error';

export type ActionState = {
  status: ActionStatus;
  message?: string;
  fields?: Record<string, string>;
  values?: Record<string, string>;
};

export const idleState: ActionState = { status: 'idle' };

/** Text fields of a form, for echoing back. Files and non-string entries are ignored. */
export function formValues(formData: FormData, names: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = formData.get(name);
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}

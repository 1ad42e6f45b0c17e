import 'server-only';
import type { z } from 'zod';
import type { UserSummary } from '@/db/queries/users';
import { getCurrentUser } from '../auth/session';
import { fieldErrors } from '../auth/validation';
import { formValues, refusedState, type ActionState } from './action-state';
import { refuse, type Refusal } from './errors';

type Options = {
  /** Fields given back to a refused form, so it keeps what the reader typed (never a password). */
  echo?: string[];
  /** The message of a form the schema refuses (each field keeps its own). */
  invalid?: string;
  /**
   * For sign-in and sign-up: the viewer is not read. getCurrentUser is memoised per request,
   * and the page Next renders after the action's redirect, in the same request, would
   * otherwise show the reader as signed out.
   */
  signsIn?: boolean;
  /**
   * A field sent more than once: its first value, as formData.get gives it (the default), or
   * all its values, for a schema that hands them on to a service that refuses a list.
   */
  repeated?: 'first' | 'all';
};

/**
 * Builds a server action from a zod schema for its form and a body that does the work. The
 * wrapper reads the form's text fields into the schema, resolves the signed-in reader (null
 * when signed out: the services say what a signed-out reader may do), and turns a refusal,
 * from the schema or from the body, into the form's state. Each action is then a few lines.
 */
export function formAction<Schema extends z.ZodType, State extends ActionState = ActionState>(
  schema: Schema,
  run: (input: z.output<Schema>, viewer: UserSummary | null) => Promise<NoInfer<State> | Refusal>,
  options: Options = {},
): (previous: State, formData: FormData) => Promise<State> {
  return async (_previous, formData) => {
    const echo = options.echo ? formValues(formData, options.echo) : undefined;
    const fields = new Map<string, string | string[]>();
    for (const [name, value] of formData.entries()) {
      if (typeof value !== 'string') continue; // files are never read
      const seen = fields.get(name);
      if (seen === undefined) fields.set(name, value);
      else if (options.repeated === 'all') fields.set(name, [...(Array.isArray(seen) ? seen : [seen]), value]);
    }
    const parsed = schema.safeParse(Object.fromEntries(fields));
    if (!parsed.success) {
      return refusedState(refuse('invalid:form', fieldErrors(parsed.error), options.invalid), echo) as State;
    }
    const result = await run(parsed.data, options.signsIn ? null : await getCurrentUser());
    return 'ok' in result && result.ok === false ? (refusedState(result, echo) as State) : (result as State);
  };
}

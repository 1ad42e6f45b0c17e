import type { ProviderButton } from '@/app/_lib/auth/config';
import { RedirectForm } from './redirect-form';

/** One form per configured external provider; each posts to the route's provider action. */
export function ProviderButtons({
  providers,
  callbackUrl,
  action,
  permalink,
}: {
  providers: ProviderButton[];
  callbackUrl: string;
  action: (previous: void, formData: FormData) => Promise<void>;
  /** The page the buttons are on. */
  permalink: string;
}) {
  if (providers.length === 0) return null;
  return (
    <div className="providers">
      <p className="providers__or">or</p>
      {providers.map((provider) => (
        <RedirectForm key={provider.id} action={action} permalink={permalink}>
          <input type="hidden" name="provider" value={provider.id} />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <button type="submit" className="button button--wide">
            Continue with {provider.name}
          </button>
        </RedirectForm>
      ))}
    </div>
  );
}

import type { ProviderButton } from '@/app/_lib/auth/config';

/** One form per configured external provider; each posts to the route's provider action. */
export function ProviderButtons({
  providers,
  callbackUrl,
  action,
}: {
  providers: ProviderButton[];
  callbackUrl: string;
  action: (formData: FormData) => Promise<void>;
}) {
  if (providers.length === 0) return null;
  return (
    <div className="providers">
      <p className="providers__or">or</p>
      {providers.map((provider) => (
        <form key={provider.id} action={action}>
          <input type="hidden" name="provider" value={provider.id} />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <button type="submit" className="button button--wide">
            Continue with {provider.name}
          </button>
        </form>
      ))}
    </div>
  );
}

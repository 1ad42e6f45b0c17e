import { signOutAndReturn } from '@/app/_lib/auth/sign-out';

/**
 * The header's and the profile's "Sign out" buttons post here; 303 so the browser follows with a GET. The
 * address is relative, so the browser stays on the host it asked (the server's own idea of its
 * URL may name another, e.g. localhost for 127.0.0.1). Clear-Site-Data empties this site's
 * storage in the browser: the comment drafts kept there (app/_components/use-draft.ts) are not
 * left for the next person on a shared computer.
 */
export async function POST(request: Request) {
  // The profile's "Sign out everywhere" sends scope=everywhere; anything else signs this browser out.
  const form = await request.formData().catch(() => null);
  const to = await signOutAndReturn(form?.get('scope') === 'everywhere');
  return new Response(null, { status: 303, headers: { Location: to, 'Cache-Control': 'no-store', 'Clear-Site-Data': '"storage"' } });
}

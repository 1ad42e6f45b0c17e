import { PageShell } from '@/app/_components/site-header';
import { getCurrentUser } from '@/app/_lib/auth/session';

/** Pages rendered per request, with the signed-in reader (if any) in the header. */
export default async function ReaderLayout({ children }: { children: React.ReactNode }) {
  return <PageShell user={await getCurrentUser()}>{children}</PageShell>;
}

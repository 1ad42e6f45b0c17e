import { PageShell } from '@/app/_components/site-header';

/** Pages served from the full-route cache: drawn for a signed-out reader, reading no cookies. */
export default function PublicLayout({ children }: { children: React.ReactNode }) {
  return <PageShell user={null}>{children}</PageShell>;
}

import { NotFoundMessage } from './_components/not-found-message';
import { PageShell } from './_components/site-header';

/** For addresses no route matches: only the root layout is around this, so it draws the header. */
export default function NotFound() {
  return (
    <PageShell user={null}>
      <NotFoundMessage />
    </PageShell>
  );
}

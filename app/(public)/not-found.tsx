import { NotFoundMessage } from '@/app/_components/not-found-message';

/** notFound() inside this group: the group's layout already draws the header. */
export default function NotFound() {
  return <NotFoundMessage />;
}

import { RelativeTime } from './relative-time';

const exactFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** When something happened: the exact UTC time, shown as "5 minutes ago" once the page's scripts run. */
export function Timestamp({ at }: { at: Date }) {
  return <RelativeTime iso={at.toISOString()} exact={`${exactFormat.format(at)} UTC`} />;
}

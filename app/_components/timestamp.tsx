import { RelativeTime } from './relative-time';

const exactFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** A moment as the pages show it exactly: "7 Dec 2026, 08:20 UTC". */
export function exactTime(at: Date): string {
  return `${exactFormat.format(at)} UTC`;
}

/** When something happened: the exact UTC time, shown as "5 minutes ago" once the page's scripts run. */
export function Timestamp({ at }: { at: Date }) {
  return <RelativeTime iso={at.toISOString()} exact={exactTime(at)} />;
}

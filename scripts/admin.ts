// `npm run admin -- grant <email> [admin|moderator]` gives a reader a role;
// `npm run admin -- revoke <email>` makes them a reader again;
// `npm run admin -- mail-test <email>` queues a test message, to check the mail settings.
// Works on DATABASE_PATH.
import { closeDb, getDb } from '../db/index';
import { setUserRole } from '../db/queries/moderation';
import { effectiveRole } from '../app/_lib/auth/roles';
import { isMailAddress, queueMail } from '../app/_lib/mail/queue';
import { site } from '../app/_lib/content/site';
import { roles, type Role } from '../db/schema';

const USAGE = 'Usage: npm run admin -- grant <email> [admin|moderator]\n       npm run admin -- revoke <email>\n       npm run admin -- mail-test <email>';
const [command, rawEmail, rawRole] = process.argv.slice(2);
const email = rawEmail?.trim().toLowerCase();

if (command === 'mail-test' && email) {
  if (!isMailAddress(email)) {
    console.error(`${rawEmail} is not an email address.`);
    process.exit(2);
  }
  // Queued like any other mail: the running server's sender delivers it within seconds, by
  // SMTP_URL or as an .eml file, and retries it if SMTP refuses, so this tests the real path.
  const row = queueMail(getDb(), {
    kind: 'test',
    to: email,
    subject: `Test message from ${site.name}`,
    paragraphs: [`This is a test message from ${site.name}. If you can read it, the site's mail settings work.`],
    action: { label: `Open ${site.name}`, url: site.url },
  });
  closeDb();
  console.log(`Queued a test message to ${email} (Message-ID ${row.messageId}). The running server sends it within a few seconds.`);
  process.exit(0);
}

const role = command === 'revoke' ? 'reader' : (rawRole ?? 'admin');
if (!email || !['grant', 'revoke'].includes(command ?? '') || !(roles as readonly string[]).includes(role)) {
  console.error(USAGE);
  process.exit(2);
}
getDb();
const found = setUserRole(email, role as Role);
closeDb();
if (!found) {
  console.error(`No account with the email ${email}. The reader must sign up first.`);
  process.exit(1);
}
console.log(`${email} is now ${role === 'reader' ? 'a reader' : `a${role === 'admin' ? 'n' : ''} ${role}`}.`);
// The stored role is what this command sets; ADMIN_EMAILS can still raise a verified address.
if (role !== 'admin' && effectiveRole({ role: role as 'moderator' | 'reader', email, emailVerified: true }) === 'admin') {
  console.log(`Note: ${email} is listed in ADMIN_EMAILS, so if a sign-in provider verified it, it stays an admin until removed from that list.`);
}

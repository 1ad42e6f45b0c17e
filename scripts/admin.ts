// `npm run admin -- grant <email> [admin|moderator]` gives a reader a role;
// `npm run admin -- revoke <email>` makes them a reader again. Works on DATABASE_PATH.
import { closeDb, getDb } from '../db/index';
import { setUserRole } from '../db/queries/moderation';
import { effectiveRole } from '../app/_lib/auth/roles';
import { roles, type Role } from '../db/schema';

const [command, rawEmail, rawRole] = process.argv.slice(2);
const email = rawEmail?.trim().toLowerCase();
const role = command === 'revoke' ? 'reader' : (rawRole ?? 'admin');

if (!email || !['grant', 'revoke'].includes(command ?? '') || !(roles as readonly string[]).includes(role)) {
  console.error('Usage: npm run admin -- grant <email> [admin|moderator]\n       npm run admin -- revoke <email>');
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

import 'server-only';
import { desc, eq } from 'drizzle-orm';
import { getDb, type Tx } from '../index';
import { moderationLog, users } from '../schema';

/** Who did what to which comment, reader or article, and why: one row of the audit log. */
export type AuditEntry = {
  actorId: string;
  action: string;
  targetType: 'comment' | 'user' | 'article';
  targetId: string | number;
  reason?: string | null;
};

/**
 * Writes the entry inside the transaction of the change it records, so a change is never
 * stored without its entry, nor an entry without its change.
 */
export function recordAudit(tx: Tx, entry: AuditEntry): void {
  tx.insert(moderationLog)
    .values({ ...entry, targetId: String(entry.targetId), reason: entry.reason ?? null })
    .run();
}

export function listModerationLog(limit = 200) {
  return getDb()
    .select({
      id: moderationLog.id,
      actorName: users.name,
      action: moderationLog.action,
      targetType: moderationLog.targetType,
      targetId: moderationLog.targetId,
      reason: moderationLog.reason,
      createdAt: moderationLog.createdAt,
    })
    .from(moderationLog)
    .innerJoin(users, eq(users.id, moderationLog.actorId))
    .orderBy(desc(moderationLog.id))
    .limit(limit)
    .all();
}

-- Full-text search (/search): FTS5 indexes over the comments' and the articles' text, written by
-- hand because drizzle-kit cannot express virtual tables (registered in meta/_journal.json like
-- the generated ones). Both are external-content tables: the text stays in comments and
-- articles, the index holds only tokens, and the triggers below keep it in step with every
-- write in the same transaction, whatever code path makes it (posting, editing, deleting,
-- moderation, account purges, the retention job, imports). The index holds every comment,
-- whatever its status: who may see a result is decided when searching, by the same rule the
-- pages use (db/queries/comments.ts shownTo).
-- secure-delete: a deleted or edited text's tokens are removed from the index at once, not left
-- in older segments until a merge, so a purged reader's words are gone from the file too.
CREATE VIRTUAL TABLE `comments_fts` USING fts5(
	body_markdown,
	content='comments',
	content_rowid='id',
	tokenize='porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `comments_fts` (`comments_fts`, `rank`) VALUES ('secure-delete', 1);
--> statement-breakpoint
INSERT INTO `comments_fts` (`comments_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `comments_fts_insert` AFTER INSERT ON `comments` BEGIN
	INSERT INTO `comments_fts` (`rowid`, `body_markdown`) VALUES (new.`id`, new.`body_markdown`);
END;
--> statement-breakpoint
CREATE TRIGGER `comments_fts_delete` AFTER DELETE ON `comments` BEGIN
	INSERT INTO `comments_fts` (`comments_fts`, `rowid`, `body_markdown`) VALUES ('delete', old.`id`, old.`body_markdown`);
END;
--> statement-breakpoint
CREATE TRIGGER `comments_fts_update` AFTER UPDATE OF `body_markdown` ON `comments`
WHEN old.`body_markdown` IS NOT new.`body_markdown` BEGIN
	INSERT INTO `comments_fts` (`comments_fts`, `rowid`, `body_markdown`) VALUES ('delete', old.`id`, old.`body_markdown`);
	INSERT INTO `comments_fts` (`rowid`, `body_markdown`) VALUES (new.`id`, new.`body_markdown`);
END;
--> statement-breakpoint
CREATE VIRTUAL TABLE `articles_fts` USING fts5(
	title,
	summary,
	body_markdown,
	content='articles',
	content_rowid='id',
	tokenize='porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `articles_fts` (`articles_fts`, `rank`) VALUES ('secure-delete', 1);
--> statement-breakpoint
INSERT INTO `articles_fts` (`articles_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `articles_fts_insert` AFTER INSERT ON `articles` BEGIN
	INSERT INTO `articles_fts` (`rowid`, `title`, `summary`, `body_markdown`) VALUES (new.`id`, new.`title`, new.`summary`, new.`body_markdown`);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_delete` AFTER DELETE ON `articles` BEGIN
	INSERT INTO `articles_fts` (`articles_fts`, `rowid`, `title`, `summary`, `body_markdown`) VALUES ('delete', old.`id`, old.`title`, old.`summary`, old.`body_markdown`);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_update` AFTER UPDATE OF `title`, `summary`, `body_markdown` ON `articles` BEGIN
	INSERT INTO `articles_fts` (`articles_fts`, `rowid`, `title`, `summary`, `body_markdown`) VALUES ('delete', old.`id`, old.`title`, old.`summary`, old.`body_markdown`);
	INSERT INTO `articles_fts` (`rowid`, `title`, `summary`, `body_markdown`) VALUES (new.`id`, new.`title`, new.`summary`, new.`body_markdown`);
END;

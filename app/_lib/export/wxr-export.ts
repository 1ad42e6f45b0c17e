import 'server-only';
import fs from 'node:fs';
import { createCB } from 'xmlbuilder2';
import { exportArticles, exportComments, exportGuestAuthors, exportReaders } from '@/db/queries/site-data';
import { absoluteUrl, articlePath, site } from '../content/site';
import { commentKey } from './site-export';

/*
 * `npm run export -- --format wxr FILE.xml`: the comments as a WordPress WXR 1.2 file, which
 * WordPress, Disqus, remark42, isso and this site's own importer read. Written through
 * xmlbuilder2's streaming writer, one element at a time, so escaping is the library's and the
 * file is never held in memory whole. Each article is an <item>; a comment's parent is the
 * comment it answers (its replyTo past the deepest level), so the threads keep their shape
 * where deeper nesting is allowed. Deleted comments stay as empty trash, so replies under them
 * keep their parent. Author emails are written (other systems use them to recognise people):
 * keep the file private.
 */

const WXR_STATUS = { visible: '1', pending: '0', hidden: 'spam', deleted: 'trash' } as const;

/** `2017-08-02 10:15:00`, in UTC, as WXR writes dates. */
function wxrDate(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

export function writeWxrExport(file: string, now = new Date()): { articles: number; comments: number } {
  const fd = fs.openSync(file, 'w');
  try {
    // Not pretty-printed: the writer would indent CDATA onto lines of its own, adding whitespace to
    // every value. A line break after each element keeps the file readable.
    const xml = createCB({ prettyPrint: false });
    xml.on('data', (chunk: string) => void fs.writeSync(fd, chunk));
    const names = new Map<string, { name: string | null; email: string | null }>();
    for (const r of exportReaders()) names.set(r.id, { name: r.name, email: r.email });
    for (const g of exportGuestAuthors()) names.set(g.id, { name: g.name, email: g.email });
    const commentRows = exportComments();
    const byArticle = new Map<number, typeof commentRows>();
    for (const c of commentRows) byArticle.set(c.articleId, [...(byArticle.get(c.articleId) ?? []), c]);

    xml.dec({ version: '1.0', encoding: 'UTF-8' });
    xml.ele('rss', {
      version: '2.0',
      'xmlns:excerpt': 'http://wordpress.org/export/1.2/excerpt/',
      'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
      'xmlns:wfw': 'http://wellformedweb.org/CommentAPI/',
      'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
      'xmlns:wp': 'http://wordpress.org/export/1.2/',
    });
    xml.txt('\n');
    xml.ele('channel');
    xml.txt('\n');
    const leaf = (name: string, text: string, cdata = false) => {
      xml.ele(name);
      if (cdata) xml.dat(text);
      else xml.txt(text);
      xml.up();
      xml.txt('\n');
    };
    leaf('title', site.name);
    leaf('link', site.url);
    leaf('pubDate', now.toUTCString());
    leaf('wp:wxr_version', '1.2');
    leaf('wp:base_site_url', site.url);
    leaf('wp:base_blog_url', site.url);
    let count = 0;
    const articleRows = exportArticles();
    for (const a of articleRows) {
      xml.ele('item');
      xml.txt('\n');
      leaf('title', a.title);
      leaf('link', absoluteUrl(articlePath(a.slug)));
      if (a.publishedAt) leaf('pubDate', a.publishedAt.toUTCString());
      leaf('wp:post_id', String(a.id));
      if (a.publishedAt) leaf('wp:post_date_gmt', wxrDate(a.publishedAt));
      leaf('wp:comment_status', a.closedAt ? 'closed' : 'open');
      leaf('wp:post_name', a.slug);
      leaf('wp:status', 'publish');
      leaf('wp:post_type', 'post');
      for (const c of byArticle.get(a.id) ?? []) {
        const author = names.get(c.authorId);
        xml.ele('wp:comment');
        xml.txt('\n');
        leaf('wp:comment_id', String(c.id));
        leaf('wp:comment_author', c.status === 'deleted' ? '' : author?.name?.trim() || 'Reader', true);
        leaf('wp:comment_author_email', c.status === 'deleted' ? '' : (author?.email ?? ''), true);
        leaf('wp:comment_date', wxrDate(c.createdAt), true);
        leaf('wp:comment_date_gmt', wxrDate(c.createdAt), true);
        leaf('wp:comment_content', c.bodyHtml, true);
        leaf('wp:comment_approved', WXR_STATUS[c.status], true);
        leaf('wp:comment_type', 'comment', true);
        leaf('wp:comment_parent', String(c.replyToId ?? c.parentId ?? 0));
        leaf('wp:comment_user_id', '0');
        // Where the comment came from, so a system that keeps comment meta can tell it again.
        xml.ele('wp:commentmeta');
        leaf('wp:meta_key', 'blog_source_key', true);
        leaf('wp:meta_value', commentKey(c), true);
        xml.up();
        xml.up();
        xml.txt('\n');
        count += 1;
      }
      xml.up();
      xml.txt('\n');
    }
    xml.up().up();
    xml.end();
    return { articles: articleRows.length, comments: count };
  } finally {
    fs.closeSync(fd);
  }
}

import 'server-only';
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { decodeHTML } from 'entities';

/**
 * Markdown → HTML on the server. Raw HTML in the source is escaped by markdown-it (html: false)
 * and the output then passes an allowlist sanitizer, so neither layer alone has to be perfect.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const ALLOWED_TAGS = [
  'p', 'br', 'em', 'strong', 'a', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'hr',
];

export type MarkdownProfile = 'article' | 'comment';

function sanitizeOptions(profile: MarkdownProfile): sanitizeHtml.IOptions {
  return {
    // Comments get no headings or rules: they are part of a thread, not documents.
    allowedTags: profile === 'comment' ? ALLOWED_TAGS.filter((t) => !/^h\d$|^hr$/.test(t)) : ALLOWED_TAGS,
    allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'escape',
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: {
          ...attribs,
          rel: profile === 'comment' ? 'ugc nofollow noopener noreferrer' : 'noopener noreferrer',
        },
      }),
    },
  };
}

export function renderMarkdown(source: string, profile: MarkdownProfile = 'comment'): string {
  return sanitizeHtml(markdown.render(source), sanitizeOptions(profile));
}

/** Plain text of Markdown (paragraphs separated by blank lines), for descriptions and structured data. */
export function markdownToText(source: string): string {
  const blocks: string[] = [];
  for (const token of markdown.parse(source, {})) {
    if (token.type !== 'inline') continue;
    const text = (token.children ?? [])
      .map((child) => (child.type === 'softbreak' || child.type === 'hardbreak' ? ' ' : child.content))
      .join('');
    if (text.trim()) blocks.push(text.trim());
  }
  return blocks.join('\n\n');
}

/** Block tags that, present in imported HTML, mean its author already wrote paragraphs. */
const BLOCKS = /<(p|div|blockquote|ul|ol|pre)[\s>]/i;

/**
 * A comment's HTML from another system (a WordPress or Disqus export), as a comment here may
 * hold it: the comment profile's allowlist, the same as for Markdown written here, and links
 * marked `ugc nofollow`. WordPress stores comments with bare line breaks and adds paragraphs
 * when it shows them, so text without block tags gets them here first. Unknown tags are dropped
 * rather than escaped: a script in an old export is not text its author wrote.
 */
export function sanitizeImportedHtml(source: string): string {
  // Not trimmed when it has blocks: HTML this site rendered comes back unchanged (the round trip).
  const html = BLOCKS.test(source)
    ? source
    : source
        .trim()
        .split(/\r?\n\s*\r?\n/)
        .map((block) => `<p>${block.replace(/\r?\n/g, '<br>')}</p>`)
        .join('');
  return sanitizeHtml(html, { ...sanitizeOptions('comment'), disallowedTagsMode: 'discard' });
}

/**
 * Plain text of HTML from sanitizeImportedHtml, paragraphs apart by a blank line: what an imported comment keeps
 * as its Markdown (its author's edit box and the export), since the source had no Markdown.
 */
export function htmlToText(html: string): string {
  // The HTML is the sanitizer's output: well-formed, with every < and > in text escaped, so
  // removing the tags leaves exactly its text.
  const marked = html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|li|blockquote|pre)>/gi, '$&\n\n');
  const text = decodeHTML(marked.replace(/<[^>]*>/g, ''));
  return text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

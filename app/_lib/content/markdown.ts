import 'server-only';
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

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

import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { ImageResponse } from 'next/og';
import { CARD_SIZE, discussionSize, type CardArticle } from './card';
import { site } from './site';

/*
 * The social card's drawing (./card.ts has its address and alt text): the article's headline,
 * the site's name and the size of its discussion, drawn by next/og with DejaVu Sans from
 * public/fonts, so it renders with no network at all. Served by
 * app/articles/[slug]/card.png/route.tsx from Next's cache.
 */
type Font = { name: string; data: Buffer; weight: 400 | 700; style: 'normal' };
let fonts: Font[] | null = null;

/** Read once per process, on the first card drawn (never at build time: no card is prerendered). */
function cardFonts(): Font[] {
  const read = (file: string) => fs.readFileSync(path.join(process.cwd(), 'public', 'fonts', file));
  fonts ??= [
    { name: 'DejaVu Sans', data: read('DejaVuSans.ttf'), weight: 400, style: 'normal' },
    { name: 'DejaVu Sans', data: read('DejaVuSans-Bold.ttf'), weight: 700, style: 'normal' },
  ];
  return fonts;
}

/** A long headline gets smaller type, so that up to about 140 characters fit in four lines. */
function headlineSize(title: string): number {
  if (title.length <= 60) return 64;
  if (title.length <= 100) return 54;
  return 44;
}

/*
 * next/og fetches what its fonts lack from the network: emoji from a CDN (and the card fails
 * when that fetch does), other scripts from Google Fonts (drawn blank when it fails). DejaVu
 * has no emoji, so they are left out of the card's text; the alt text keeps them.
 */
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u{FE0F}\u{20E3}\u{200D}]/gu;

function drawable(text: string): string {
  return text.replace(EMOJI, '').replace(/\s{2,}/g, ' ').trim();
}

/** The card as a PNG response. The site's light theme colours (app/globals.css). */
export function socialCard(article: CardArticle): ImageResponse {
  const title = drawable(article.title);
  return new ImageResponse(
    (
      <div
        style={{
          width: '100%',
          height: '100%',
          display: 'flex',
          flexDirection: 'column',
          justifyContent: 'space-between',
          padding: '64px 72px',
          background: '#fbfaf7',
          color: '#1c1d21',
          fontFamily: 'DejaVu Sans',
          borderTop: '16px solid #a3320b',
        }}
      >
        <div style={{ display: 'flex', fontSize: 30, fontWeight: 700, color: '#a3320b' }}>{drawable(site.name)}</div>
        <div style={{ display: 'flex', fontSize: headlineSize(title), fontWeight: 700, lineHeight: 1.2, maxHeight: 360, overflow: 'hidden' }}>
          {title}
        </div>
        <div style={{ display: 'flex', fontSize: 32, fontWeight: 400, color: '#5a5d66' }}>{`Discussion: ${discussionSize(article.commentCount)}`}</div>
      </div>
    ),
    { ...CARD_SIZE, fonts: cardFonts() },
  );
}

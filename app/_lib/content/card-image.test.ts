import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { CARD_SIZE } from './card';
import { socialCard } from './card-image';

const draw = async (title: string) => PNG.sync.read(Buffer.from(await socialCard({ slug: 'a', title, commentCount: 3 }).arrayBuffer()));

describe('the social card', () => {
  it('is drawn at 1200×630 with the fonts in public/fonts', async () => {
    const png = await draw('Xiaomi Ships 23.16 Million Smartphones');
    assert.deepEqual([png.width, png.height], [CARD_SIZE.width, CARD_SIZE.height]);
  });

  // next/og fetches emoji from a CDN and fails the whole image when it cannot (as here, offline).
  it('is drawn for a headline with emoji, which are left out of the picture', async () => {
    const png = await draw('Phones 📱 of the year 👍🏽 🇨🇳');
    assert.equal(png.width, CARD_SIZE.width);
  });
});

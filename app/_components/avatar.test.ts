import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/*
 * Issue 13, point 13: the avatars' initials are white on a colour made from the reader's name
 * (any of 360 hues), and each must reach WCAG AA (4.5:1) in both colour schemes. axe cannot see
 * them (they are aria-hidden: the name is written beside them), so this reads the stylesheet's
 * rules for .avatar and checks every hue.
 */

const css = readFileSync(new URL('../globals.css', import.meta.url), 'utf8');

/** CSS Color 4's HSL to sRGB, each channel 0..1. */
function hslToRgb(hue: number, saturation: number, lightness: number): [number, number, number] {
  const s = saturation / 100;
  const l = lightness / 100;
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    return l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [channel(0), channel(8), channel(4)];
}

function luminance([r, g, b]: [number, number, number]): number {
  const linear = (c: number) => {
    const byte = Math.round(c * 255) / 255; // as the browser paints it
    return byte <= 0.04045 ? byte / 12.92 : ((byte + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

describe('avatar colours', () => {
  // Every rule that styles .avatar, in either scheme.
  const rules = [...css.matchAll(/\.avatar\s*\{([^}]*)\}/g)].map((match) => match[1]!);

  it('has one background and one text colour, the same in light and dark', () => {
    assert.equal(rules.filter((rule) => /background/.test(rule)).length, 1);
  });

  it('gives white initials at least 4.5:1 on every hue', () => {
    const rule = rules.find((r) => /background/.test(r))!;
    const background = /background:\s*hsl\(var\(--avatar-hue\)\s+([\d.]+)%\s+([\d.]+)%\)/.exec(rule);
    assert.ok(background, `the avatar's background is hsl(var(--avatar-hue) S% L%): ${rule}`);
    assert.match(rule, /color:\s*#fff\b/);
    const [saturation, lightness] = [Number(background[1]), Number(background[2])];
    let worst = { ratio: Infinity, hue: -1 };
    for (let hue = 0; hue < 360; hue++) {
      const ratio = contrast(luminance(hslToRgb(hue, saturation, lightness)), 1);
      if (ratio < worst.ratio) worst = { ratio, hue };
    }
    assert.ok(worst.ratio >= 4.5, `hue ${worst.hue} gives ${worst.ratio.toFixed(2)}:1`);
  });
});

import { describe, expect, it } from 'vitest';
import { injectIntoHtml, isHtmlType } from './inject.js';

const TAG = '<script src="https://engine.example/runtime.js?v=abc"></script>';
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('injectIntoHtml', () => {
  it('puts the snippet first in <head>, whatever its case and attributes', () => {
    expect(dec(injectIntoHtml(enc('<!DOCTYPE html><html><HEAD profile="x"><title>t</title>'), TAG))).toBe(
      `<!DOCTYPE html><html><HEAD profile="x">${TAG}<title>t</title>`,
    );
  });

  it('does not take <header> for <head>', () => {
    expect(dec(injectIntoHtml(enc('<html><body><header>h</header></body></html>'), TAG))).toBe(
      `<html>${TAG}<body><header>h</header></body></html>`,
    );
  });

  it('goes after the doctype without <html> or <head>, so the page stays in standards mode', () => {
    expect(dec(injectIntoHtml(enc('<!-- c --><!doctype html>\n<p>x'), TAG))).toBe(
      `<!-- c --><!doctype html>${TAG}\n<p>x`,
    );
  });

  it('goes at the very start of a fragment, after a UTF-8 byte order mark', () => {
    expect(dec(injectIntoHtml(enc('<p>x</p>'), TAG))).toBe(`${TAG}<p>x</p>`);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc('<p>x</p>')]);
    const out = injectIntoHtml(bom, TAG);
    expect([...out.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(dec(out.subarray(3))).toBe(`${TAG}<p>x</p>`);
  });

  it('keeps every other byte as it was, in any charset', () => {
    // windows-1252 bytes that are not valid UTF-8
    const latin = new Uint8Array([...enc('<head>'), 0xe9, 0xe8, ...enc('</head>')]);
    const out = injectIntoHtml(latin, TAG);
    expect(out.byteLength).toBe(latin.byteLength + TAG.length);
    expect([...out.subarray(6 + TAG.length, 8 + TAG.length)]).toEqual([0xe9, 0xe8]);
  });
});

describe('isHtmlType', () => {
  it('knows HTML and XHTML documents only', () => {
    expect(isHtmlType('text/html; charset=utf-8')).toBe(true);
    expect(isHtmlType('application/xhtml+xml')).toBe(true);
    expect(isHtmlType('text/css')).toBe(false);
    expect(isHtmlType('application/javascript')).toBe(false);
  });
});

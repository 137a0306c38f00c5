import { describe, expect, it } from 'vitest';
import { contentPath } from './path.js';

describe('contentPath', () => {
  it.each([
    ['index.html', 'index.html'],
    ['css/style.css', 'css/style.css'],
    ['media/my%20file.txt', 'media/my file.txt'],
    ['caf%C3%A9.png', 'caf\u00e9.png'],
    ['100%25.txt', '100%.txt'],
    ['a..b/..c', 'a..b/..c'],
  ])('reads %s as %s', (raw, path) => {
    expect(contentPath(raw)).toEqual({ ok: true, value: path });
  });

  it.each(['', 'css/', 'a/b/'])('treats %j as a folder', (raw) => {
    expect(contentPath(raw)).toMatchObject({ ok: false, error: { code: 'folder' } });
  });

  it.each([
    '..',
    '../x',
    'a/../../x',
    '%2e%2e/x',
    '%2E%2E/x',
    '.%2e/x',
    'a/./b',
    '%2e/b',
    '..%2fx',
    '..%2Fx',
    'a%2fb',
    'a%5c..%5cb',
    'a\\b',
    '..\\x',
    'a%00.html',
    'a%0a',
    'a%C2%85b',
    'a//b',
    '/etc/passwd',
    '%',
    'a%zz',
    '%E0%A4%A',
    `${'a'.repeat(256)}.html`,
  ])('refuses %j', (raw) => {
    expect(contentPath(raw)).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});

import { describe, expect, it } from 'vitest';
import { hrefToPath, isAbsoluteReference, mergeParameters, resolveAgainstBases } from './launch-url.js';

describe('resolveAgainstBases', () => {
  it('applies the xml:base chain outermost first', () => {
    expect(resolveAgainstBases('index.html', ['course/', 'content/', 'lesson1/'])).toBe(
      'course/content/lesson1/index.html',
    );
  });

  it('skips absent bases', () => {
    expect(resolveAgainstBases('a.html', [null, '', 'res/'])).toBe('res/a.html');
    expect(resolveAgainstBases('a.html', [null, null, null])).toBe('a.html');
  });

  it('treats a base without a trailing slash as a folder', () => {
    expect(resolveAgainstBases('a.html', ['resources'])).toBe('resources/a.html');
  });

  it('normalises dot segments without climbing above the root', () => {
    expect(resolveAgainstBases('../shared/api.js', ['content/', 'lessons/'])).toBe('content/shared/api.js');
    expect(resolveAgainstBases('./x/./y.html', ['a/'])).toBe('a/x/y.html');
    expect(resolveAgainstBases('../../../x.html', ['a/'])).toBe('x.html');
  });

  it('stops at an absolute base or href', () => {
    expect(resolveAgainstBases('a.html', ['ignored/', 'https://cdn.example.com/c/'])).toBe(
      'https://cdn.example.com/c/a.html',
    );
    expect(resolveAgainstBases('https://x.example/a', ['base/'])).toBe('https://x.example/a');
    expect(resolveAgainstBases('/abs/a.html', ['base/'])).toBe('/abs/a.html');
  });

  it('keeps the query and fragment of the href', () => {
    expect(resolveAgainstBases('./a.html?x=../1#y', ['b/'])).toBe('b/a.html?x=../1#y');
  });
});

describe('mergeParameters (CAM item parameters)', () => {
  it('returns the href unchanged without parameters', () => {
    expect(mergeParameters('a.html', null)).toBe('a.html');
    expect(mergeParameters('a.html', '   ')).toBe('a.html');
    expect(mergeParameters('a.html', '?')).toBe('a.html');
  });

  it('appends with ? when the href has no query, stripping a leading ? or &', () => {
    expect(mergeParameters('a.html', 'x=1')).toBe('a.html?x=1');
    expect(mergeParameters('a.html', '?x=1')).toBe('a.html?x=1');
    expect(mergeParameters('a.html', '&x=1&y=2')).toBe('a.html?x=1&y=2');
  });

  it('appends with & when the href already has a query', () => {
    expect(mergeParameters('a.html?v=2', '?x=1')).toBe('a.html?v=2&x=1');
    expect(mergeParameters('a.html?v=2', 'x=1')).toBe('a.html?v=2&x=1');
    expect(mergeParameters('a.html?', 'x=1')).toBe('a.html?x=1');
  });

  it('appends a fragment only when the href has none', () => {
    expect(mergeParameters('a.html', '#start')).toBe('a.html#start');
    expect(mergeParameters('a.html?v=1', '#start')).toBe('a.html?v=1#start');
    expect(mergeParameters('a.html#intro', '#start')).toBe('a.html#intro');
  });

  it('puts a query before an existing fragment', () => {
    expect(mergeParameters('a.html#intro', 'x=1')).toBe('a.html?x=1#intro');
    expect(mergeParameters('a.html?v=1#intro', 'x=1')).toBe('a.html?v=1&x=1#intro');
  });
});

describe('hrefToPath / isAbsoluteReference', () => {
  it('strips query and fragment and decodes escapes', () => {
    expect(hrefToPath('a/my%20file.html?x=1#y')).toBe('a/my file.html');
    expect(hrefToPath('./a.html')).toBe('a.html');
    expect(hrefToPath('/a.html')).toBe('a.html');
    expect(hrefToPath('a/%E0%A4%A.html')).toBe('a/%E0%A4%A.html');
    expect(hrefToPath('content\\lesson 1\\index.html')).toBe('content/lesson 1/index.html');
  });

  it('gives null for URLs outside the package', () => {
    expect(hrefToPath('https://example.com/a.html')).toBeNull();
    expect(hrefToPath('//cdn.example.com/a.js')).toBeNull();
    expect(isAbsoluteReference('mailto:x@example.com')).toBe(true);
    expect(isAbsoluteReference('a/b.html')).toBe(false);
  });
});

import type { AppDeps } from '../app.js';
import { issueContentToken } from '../content/token.js';
import type { AttemptContext } from '../runtime/attempt-service.js';

/** The origin of an absolute URL, else `null`. */
export function originOf(url: string): string | null {
  return URL.canParse(url) ? new URL(url).origin : null;
}

/**
 * Whether content URLs point to another origin than the player (frame mode). Both bases are
 * absolute URLs or `''` (the origin the request came to).
 */
export function contentIsCrossOrigin(
  apiBaseUrl: string,
  contentBaseUrl: string,
  requestUrl: string,
): boolean {
  if (contentBaseUrl === '' || contentBaseUrl === apiBaseUrl) return false;
  return originOf(contentBaseUrl) !== (originOf(apiBaseUrl) ?? originOf(requestUrl));
}

/**
 * The content URLs of an attempt's SCOs under one new content token, which carries the `frame`
 * claim when the content is cross-origin to the player.
 */
export async function contentUrlsFor(
  deps: Pick<AppDeps, 'apiBaseUrl' | 'contentBaseUrl' | 'jwtSecret'>,
  ctx: Pick<AttemptContext, 'attempt' | 'course'>,
  requestUrl: string,
): Promise<{ frame: boolean; url: (launchUrl: string) => string }> {
  const frame = contentIsCrossOrigin(deps.apiBaseUrl, deps.contentBaseUrl, requestUrl);
  const token = await issueContentToken(
    {
      tenantId: ctx.attempt.tenantId,
      courseId: ctx.course.id,
      version: ctx.course.version,
      attemptId: ctx.attempt.id,
      ...(frame ? { frame: true } : {}),
    },
    deps.jwtSecret,
  );
  const base = deps.contentBaseUrl || deps.apiBaseUrl;
  return { frame, url: (launchUrl) => `${base}/content/${token}/${launchUrl}` };
}

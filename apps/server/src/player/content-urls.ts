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

/** Content tokens are issued as of the start of this period, so their URLs stay the same within it. */
export const CONTENT_TOKEN_PERIOD_SECONDS = 3600;

/**
 * The content URLs of an attempt's SCOs under one content token, which carries the `frame` claim
 * when the content is cross-origin to the player. The token is issued as of the start of the
 * current hour (`CONTENT_TOKEN_PERIOD_SECONDS`), and signing is deterministic, so every launch and
 * navigation of the attempt within that hour gets the same URLs and the browser's cache of the
 * course files holds across reloads. Its claims are unchanged and it expires 8 hours after the
 * start of the hour: 7 to 8 hours after it is handed out, never later than before. `now` sets the
 * time (default: now).
 */
export async function contentUrlsFor(
  deps: Pick<AppDeps, 'apiBaseUrl' | 'contentBaseUrl' | 'jwtSecret'>,
  ctx: Pick<AttemptContext, 'attempt' | 'course'>,
  requestUrl: string,
  now: Date = new Date(),
): Promise<{ frame: boolean; url: (launchUrl: string) => string }> {
  const period = CONTENT_TOKEN_PERIOD_SECONDS * 1000;
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
    undefined,
    { now: new Date(Math.floor(now.getTime() / period) * period) },
  );
  const base = deps.contentBaseUrl || deps.apiBaseUrl;
  return { frame, url: (launchUrl) => `${base}/content/${token}/${launchUrl}` };
}

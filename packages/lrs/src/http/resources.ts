import {
  agentParameter,
  checkParameters,
  type HandlerContext,
  HttpError,
  iriParameter,
  jsonResponse,
  LATEST_VERSION,
  type XapiRequest,
} from './common.js';

/** The versions `/about` lists and `X-Experience-API-Version` accepts by name. */
export const SUPPORTED_VERSIONS = ['1.0.0', '1.0.1', '1.0.2', LATEST_VERSION] as const;

/**
 * The About resource.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#28-about-resource
 */
export async function aboutResource(request: XapiRequest): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    throw new HttpError(405, `${request.method} is not allowed on the About resource`);
  }
  checkParameters(request, []);
  return jsonResponse({ version: [...SUPPORTED_VERSIONS] });
}

/**
 * The Agents resource: the Person object of one Agent. This LRS keeps no directory of people, so
 * the Person holds what the `agent` parameter says (Communication 2.4.s3.b3).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#24-agents-resource
 */
export async function agentsResource(request: XapiRequest): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    throw new HttpError(405, `${request.method} is not allowed on the Agents resource`);
  }
  checkParameters(request, ['agent'], ['agent']);
  const { agent } = agentParameter(request.query.get('agent')!, { allowGroup: false });
  const person: Record<string, unknown> = { objectType: 'Person' };
  if (agent.name !== undefined) person.name = [agent.name];
  if (agent.mbox !== undefined) person.mbox = [agent.mbox];
  if (agent.mbox_sha1sum !== undefined) person.mbox_sha1sum = [agent.mbox_sha1sum];
  if (agent.openid !== undefined) person.openid = [agent.openid];
  if (agent.account !== undefined) person.account = [agent.account];
  return jsonResponse(person);
}

/**
 * The Activities resource: the Activity with the definition merged from every statement received.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#25-activities-resource
 */
export async function activitiesResource(request: XapiRequest, ctx: HandlerContext): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    throw new HttpError(405, `${request.method} is not allowed on the Activities resource`);
  }
  checkParameters(request, ['activityId'], ['activityId']);
  const id = iriParameter('activityId', request.query.get('activityId')!);
  const definition = await ctx.store.getActivity(ctx.scope, id);
  return jsonResponse({ objectType: 'Activity', id, ...(definition ? { definition } : {}) });
}

import type { CmiState } from '@scormflow/cmi';
import type { AttemptStatus, ScoState } from '@scormflow/db';
import type { AttemptContext } from '../runtime/attempt-service.js';
import { scoProgress } from '../runtime/sco-summary.js';

/** What the TOC shows for an item: its SCORM status, one word or two. */
export const ITEM_STATUSES = [
  'not attempted',
  'incomplete',
  'completed',
  'passed',
  'failed',
  'browsed',
  'unknown',
] as const;

/** One of `ITEM_STATUSES`. */
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** The control modes a manifest states for the children of an activity (only those it states). */
export interface NavigationControlMode {
  choice?: boolean;
  flow?: boolean;
  forwardOnly?: boolean;
}

/** The progress of one launchable item. */
export interface NavigationItemProgress {
  /** `data-status` of the TOC: a passed/failed success wins over the completion status. */
  status: ItemStatus;
  completionStatus: string;
  successStatus: string;
  score: { scaled: number | null; raw: number | null };
}

/** One item of the organization, in document order. */
export interface NavigationItem {
  identifier: string;
  title: string;
  parentIdentifier: string | null;
  depth: number;
  /** Identifiers of the item's children, in order. */
  children: string[];
  /** A SCO with a launch URL. */
  launchable: boolean;
  /** `isvisible="false"` items are launchable but not shown in a table of contents. */
  visible: boolean;
  /** The content URL (content token in the path); `null` unless launchable. */
  contentUrl: string | null;
  controlMode: NavigationControlMode | null;
  progress: NavigationItemProgress | null;
}

/** What a player needs to show an attempt (the answer of `GET /runtime/{attemptId}/navigation`). */
export interface Navigation {
  attemptId: string;
  course: {
    id: string;
    version: number;
    title: string;
    scormVersion: '1.2' | '2004';
    edition: string | null;
  };
  attempt: {
    status: AttemptStatus;
    completionStatus: string | null;
    successStatus: string | null;
    score: { scaled: number | null; raw: number | null };
  };
  currentItem: string | null;
  organization: { identifier: string | null; title: string; controlMode: NavigationControlMode | null };
  items: NavigationItem[];
  /** Whether the content is served from another origin than the player (frame mode). */
  crossOriginContent: boolean;
  returnUrl: string | null;
}

interface ModelSequencing {
  controlMode?: {
    choice?: boolean;
    flow?: boolean;
    forwardOnly?: boolean;
    explicit?: string[];
  };
}
interface ModelNode {
  identifier?: string;
  title?: string;
  children?: ModelNode[];
  sequencing?: ModelSequencing | null;
}

/** The flags of a resolved control mode that the manifest stated; `null` when none. */
function statedControlMode(sequencing: ModelSequencing | null | undefined): NavigationControlMode | null {
  const cm = sequencing?.controlMode;
  if (!cm) return null;
  const explicit = new Set(cm.explicit ?? []);
  const out: NavigationControlMode = {};
  for (const flag of ['choice', 'flow', 'forwardOnly'] as const) {
    if (explicit.has(flag) && typeof cm[flag] === 'boolean') out[flag] = cm[flag];
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** `data-status` of a SCO from its stored state: `not attempted` before its first session. */
export function itemStatus(state: CmiState | null): NavigationItemProgress {
  if (!state) {
    return {
      status: 'not attempted',
      completionStatus: 'not attempted',
      successStatus: 'unknown',
      score: { scaled: null, raw: null },
    };
  }
  const p = scoProgress(state);
  let status: ItemStatus;
  if (state.version === '1.2') {
    const lesson = state.values['cmi.core.lesson_status'] ?? 'not attempted';
    status = (ITEM_STATUSES as readonly string[]).includes(lesson) ? (lesson as ItemStatus) : 'unknown';
  } else {
    status = p.successStatus !== 'unknown' ? p.successStatus : p.completionStatus;
  }
  return {
    status,
    completionStatus: p.completionStatus,
    successStatus: p.successStatus,
    score: { scaled: p.scoreScaled, raw: p.scoreRaw },
  };
}

/**
 * The navigation of an attempt: the default organization as a flat list in document order (each
 * item with its children's identifiers), the control modes the manifest states, each SCO's
 * progress and content URL.
 * @see SCORM 2004 4th Ed CAM 3.4.1.4 (organization, item), SN 3.2 (sequencing control modes)
 * @see SCORM 1.2 CAM 2.3.5 (items)
 */
export function buildNavigation(input: {
  ctx: AttemptContext;
  states: readonly ScoState[];
  contentUrl: (launchUrl: string) => string;
  crossOriginContent: boolean;
  returnUrl: string | null;
}): Navigation {
  const { ctx, states } = input;
  const { attempt, course } = ctx;
  const model = course.model as {
    manifest?: {
      defaultOrganization?: {
        identifier?: string;
        title?: string;
        items?: ModelNode[];
        sequencing?: ModelSequencing | null;
      } | null;
    };
  } | null;
  const org = model?.manifest?.defaultOrganization ?? null;
  const sequencing = new Map<string, ModelSequencing | null | undefined>();
  const stack = [...(org?.items ?? [])];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.identifier) sequencing.set(node.identifier, node.sequencing);
    stack.push(...(node.children ?? []));
  }
  const byItem = new Map(states.map((s) => [s.itemIdentifier, s.state as CmiState]));
  const children = new Map<string, string[]>();
  for (const item of ctx.items) {
    if (item.parentIdentifier === null) continue;
    const list = children.get(item.parentIdentifier) ?? [];
    list.push(item.identifier);
    children.set(item.parentIdentifier, list);
  }
  const items: NavigationItem[] = [...ctx.items]
    .sort((a, b) => a.ordinal - b.ordinal)
    .map((item) => {
      const launchable = item.isSco && item.launchUrl !== null;
      return {
        identifier: item.identifier,
        title: item.title,
        parentIdentifier: item.parentIdentifier,
        depth: item.depth,
        children: children.get(item.identifier) ?? [],
        launchable,
        visible: item.data.isVisible !== false,
        contentUrl: launchable ? input.contentUrl(item.launchUrl!) : null,
        controlMode: statedControlMode(sequencing.get(item.identifier)),
        progress: launchable ? itemStatus(byItem.get(item.identifier) ?? null) : null,
      };
    });
  const edition = course.scormVersion;
  return {
    attemptId: attempt.id,
    course: {
      id: course.id,
      version: course.version,
      title: course.title,
      scormVersion: ctx.version,
      edition: edition ?? null,
    },
    attempt: {
      status: attempt.status,
      completionStatus: attempt.completionStatus,
      successStatus: attempt.successStatus,
      score: { scaled: attempt.scoreScaled, raw: attempt.scoreRaw },
    },
    currentItem: attempt.currentItem,
    organization: {
      identifier: org?.identifier ?? null,
      title: org?.title ?? course.title,
      controlMode: statedControlMode(org?.sequencing),
    },
    items,
    crossOriginContent: input.crossOriginContent,
    returnUrl: input.returnUrl,
  };
}

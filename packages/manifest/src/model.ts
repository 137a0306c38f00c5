/**
 * The typed package model produced by `parseManifest`.
 *
 * @see SCORM 2004 4th Edition CAM, section 3 (Content Packaging) and section 4 (Metadata)
 * @see SCORM 1.2 CAM, section 2.3 (Content Packaging)
 */
import type { Sequencing, SequencingDefinition } from './sequencing.js';

/** The SCORM edition a package targets. */
export type ScormVersion = '1.2' | '2004-2nd' | '2004-3rd' | '2004-4th';

/** `adlcp:scormType` (2004) / `adlcp:scormtype` (1.2), lower-cased; null when absent. */
export type ScormType = 'sco' | 'asset';

/** Where an element starts in `imsmanifest.xml` (1-based line and column). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface ManifestMetadata {
  /** `<schema>`, normally `ADL SCORM`. */
  readonly schema: string | null;
  /** `<schemaversion>` as written (trimmed), e.g. `1.2`, `CAM 1.3`, `2004 4th Edition`. */
  readonly schemaVersion: string | null;
  /** LOM general/title, first language string, when present in the manifest's own metadata. */
  readonly title: string | null;
  /** LOM general/description, first language string. */
  readonly description: string | null;
}

/** A `<file>` of a resource. */
export interface ResourceFile {
  /** `href` as written. */
  readonly href: string;
  /**
   * The package-relative path, `xml:base` chain applied, percent-decoded, without query or
   * fragment; null when the href is an absolute URL (not a package file).
   */
  readonly path: string | null;
}

/** @see SCORM 2004 4th Ed CAM 3.4.1.15 (`<resource>`) */
export interface Resource {
  readonly identifier: string;
  /** `type`, normally `webcontent`. */
  readonly type: string | null;
  readonly scormType: ScormType | null;
  /** `href` as written; null when absent. */
  readonly href: string | null;
  /** `xml:base` of this resource, as written. */
  readonly base: string | null;
  /** `href` with the `xml:base` chain applied (no item parameters); null when there is no href. */
  readonly resolvedHref: string | null;
  readonly files: readonly ResourceFile[];
  /** `identifierref` of each `<dependency>`. */
  readonly dependencies: readonly string[];
  readonly position: SourcePosition;
}

/** SCORM 1.2 `adlcp:prerequisites`. @see SCORM 1.2 CAM 2.3.4 */
export interface Prerequisites {
  readonly value: string;
  /** The `type` attribute, `aicc_script` in SCORM 1.2. */
  readonly type: string | null;
}

/**
 * `adlcp:completionThreshold`: the 3rd Edition form is the element's text (a decimal); the 4th
 * Edition form uses attributes. The element form is mapped so that a 4th Edition engine behaves as a
 * 3rd Edition one did: `minProgressMeasure` is the text and `completedByMeasure` is true (in the 3rd
 * Edition the threshold, when present, always decided `cmi.completion_status` from
 * `cmi.progress_measure`). `form` says which one the manifest used.
 * @see SCORM 2004 4th Ed CAM 3.4.1.12.2, SCORM 2004 3rd Ed RTE 4.2.4.1 (completion_threshold)
 */
export interface CompletionThreshold {
  /** Default false. */
  readonly completedByMeasure: boolean;
  /** Default 1.0. From the element text in the 3rd Edition form. */
  readonly minProgressMeasure: number;
  /** Default 1.0. */
  readonly progressWeight: number;
  /** Which form the manifest used. */
  readonly form: 'element' | 'attributes';
}

/** One `adlcp:data/adlcp:map` (shared data, 4th Edition). @see SCORM 2004 4th Ed CAM 3.4.1.12.6 */
export interface SharedDataMap {
  readonly targetID: string;
  /** Default true. */
  readonly readSharedData: boolean;
  /** Default false. */
  readonly writeSharedData: boolean;
}

/** An activity (`<item>`). @see SCORM 2004 4th Ed CAM 3.4.1.12 */
export interface Item {
  readonly identifier: string;
  readonly title: string;
  readonly identifierref: string | null;
  readonly parameters: string | null;
  /** Default true. */
  readonly isvisible: boolean;
  readonly children: readonly Item[];
  /** The resource `identifierref` names, or null (aggregation, or a dangling reference). */
  readonly resource: Resource | null;
  /** The launch URL: resource href, `xml:base` chain, item parameters merged; null if none. */
  readonly launchUrl: string | null;
  /** SCORM 1.2 `adlcp:masteryscore` (0-100). */
  readonly masteryScore: number | null;
  /** `adlcp:maxtimeallowed` (1.2, `HHHH:MM:SS`); in 2004 it lives in limitConditions. */
  readonly maxTimeAllowed: string | null;
  /** `adlcp:timelimitaction` / `adlcp:timeLimitAction`, e.g. `exit,message`. */
  readonly timeLimitAction: string | null;
  /** `adlcp:datafromlms` / `adlcp:dataFromLMS`. */
  readonly dataFromLms: string | null;
  /** SCORM 1.2 `adlcp:prerequisites`. */
  readonly prerequisites: Prerequisites | null;
  readonly completionThreshold: CompletionThreshold | null;
  /** `adlcp:data/adlcp:map` entries. */
  readonly data: readonly SharedDataMap[];
  /** `adlnav:presentation/navigationInterface/hideLMSUI` values. */
  readonly hideLmsUi: readonly string[];
  /** Resolved sequencing (SCORM 2004; spec defaults when the item declares none); null for 1.2. */
  readonly sequencing: Sequencing | null;
  readonly position: SourcePosition;
}

/** @see SCORM 2004 4th Ed CAM 3.4.1.8 (`<organization>`) */
export interface Organization {
  readonly identifier: string;
  readonly title: string;
  /** `structure`, default `hierarchical`. */
  readonly structure: string;
  /** `adlseq:objectivesGlobalToSystem`, default true. */
  readonly objectivesGlobalToSystem: boolean;
  /** `adlcp:sharedDataGlobalToSystem`, default true. */
  readonly sharedDataGlobalToSystem: boolean;
  readonly items: readonly Item[];
  /** Resolved sequencing of the root activity (2004); null for 1.2. */
  readonly sequencing: Sequencing | null;
  readonly position: SourcePosition;
}

export interface Manifest {
  readonly identifier: string;
  /** The manifest `version` attribute. */
  readonly version: string | null;
  /** The manifest's `xml:base`. */
  readonly base: string | null;
  /** The detected SCORM edition. */
  readonly scormVersion: ScormVersion;
  readonly metadata: ManifestMetadata;
  /** `organizations/@default` as written. */
  readonly defaultOrganizationId: string | null;
  /** The organization the learner gets: the default one, or the first when `default` is absent or wrong. */
  readonly defaultOrganization: Organization | null;
  readonly organizations: readonly Organization[];
  /** `xml:base` of `<resources>`. */
  readonly resourcesBase: string | null;
  readonly resources: readonly Resource[];
  /** Entries of `<imsss:sequencingCollection>`, by ID, as stated (unresolved). */
  readonly sequencingCollection: Readonly<Record<string, SequencingDefinition>>;
  /** Namespace URIs declared anywhere in the document. */
  readonly namespaces: readonly string[];
}

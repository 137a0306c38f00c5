/**
 * `imsmanifest.xml` to the typed package model, interpreting saxes events directly with a small
 * stack of typed frames (no generic DOM), then resolving references, launch URLs, sequencing and
 * the SCORM edition in one pass over the result.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { type Diagnostic, type DiagnosticCode, diagnostic } from './diagnostics.js';
import { hrefToPath, isAbsoluteReference, mergeParameters, resolveAgainstBases } from './launch-url.js';
import type {
  CompletionThreshold,
  Item,
  Manifest,
  ManifestMetadata,
  Organization,
  Prerequisites,
  Resource,
  ResourceFile,
  ScormType,
  ScormVersion,
  SharedDataMap,
  SourcePosition,
} from './model.js';
import { isKnownNamespace, NAMESPACES, type NamespaceFamily, namespaceFamily } from './namespaces.js';
import {
  type AdlObjectiveMapInfo,
  CHILD_ACTIVITY_SETS,
  type ChildActivitySet,
  type ConditionCombination,
  type ConditionOperator,
  canonicalObjectiveId,
  defaultSequencing,
  EXIT_CONDITION_ACTIONS,
  type Objective,
  type ObjectiveMapInfo,
  POST_CONDITION_ACTIONS,
  PRE_CONDITION_ACTIONS,
  type RandomizationTiming,
  ROLLUP_ACTIONS,
  ROLLUP_RULE_CONDITIONS,
  type RollupCondition,
  type RollupConsideration,
  type RollupRule,
  type RuleCondition,
  resolveSequencing,
  SEQUENCING_RULE_CONDITIONS,
  type Sequencing,
  type SequencingDefinition,
  type SequencingRule,
} from './sequencing.js';

export interface ParseManifestOptions {
  /** Deepest element nesting accepted before XML_TOO_DEEP. Default 100. */
  readonly maxDepth?: number;
  /** Largest document accepted (bytes for binary input, UTF-16 code units for strings). Default 32 MiB. */
  readonly maxBytes?: number;
  /** The file name diagnostics carry. Default `imsmanifest.xml`. */
  readonly fileName?: string;
}

export interface ParseManifestResult {
  /** Null when the document is not a usable manifest (malformed, too deep, too large, wrong root). */
  readonly manifest: Manifest | null;
  readonly diagnostics: Diagnostic[];
}

const DEFAULT_MAX_DEPTH = 100;
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

// Frame kinds of the interpretation stack.
const F = {
  OUT: 0,
  MANIFEST: 1,
  METADATA: 2,
  LOM: 3,
  ORGS: 4,
  ORG: 5,
  ITEM: 6,
  TEXT: 40,
  RESOURCES: 8,
  RESOURCE: 9,
  SKIP: 10,
  SEQ: 11,
  SEQ_RULES: 12,
  RULE: 13,
  RULE_CONDS: 14,
  ROLLUP_RULES: 15,
  ROLLUP_RULE: 16,
  ROLLUP_CONDS: 17,
  OBJECTIVES: 18,
  OBJECTIVE: 19,
  ADL_OBJECTIVES: 20,
  ADL_OBJECTIVE: 21,
  PRESENTATION: 22,
  NAV_INTERFACE: 23,
  DATA: 24,
  SEQ_COLLECTION: 25,
  AUX: 26,
  DONE: 27,
  // Text frames (kind >= TEXT_FRAMES) collect character data; they never nest.
  TITLE: 30,
  HIDE_LMS_UI: 31,
  MIN_MEASURE: 32,
} as const;
type FrameKind = (typeof F)[keyof typeof F];
const TEXT_FRAMES = 30;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableDef = Mutable<SequencingDefinition>;

interface MSeq {
  def: MutableDef;
  adl: { objectiveID: string; position: SourcePosition }[];
  position: SourcePosition;
  owner: MItem | MOrg | null;
}

interface MItem {
  identifier: string;
  title: string | null;
  identifierref: string | null;
  parameters: string | null;
  isvisible: boolean;
  children: MItem[];
  masteryScore: number | null;
  maxTimeAllowed: string | null;
  timeLimitAction: string | null;
  dataFromLms: string | null;
  prerequisites: Prerequisites | null;
  completionThreshold: CompletionThreshold | null;
  data: SharedDataMap[] | null;
  hideLmsUi: string[] | null;
  seq: MSeq | null;
  position: SourcePosition;
}

interface MOrg {
  identifier: string | null;
  title: string | null;
  structure: string;
  objectivesGlobalToSystem: boolean | null;
  sharedDataGlobalToSystem: boolean | null;
  items: MItem[];
  seq: MSeq | null;
  position: SourcePosition;
}

interface MResource {
  identifier: string | null;
  type: string | null;
  scormType: ScormType | null;
  scormTypeRaw: string | null;
  href: string | null;
  base: string | null;
  files: string[];
  dependencies: string[];
  position: SourcePosition;
}

interface MRule {
  kind: 'pre' | 'exit' | 'post';
  conditionCombination: ConditionCombination;
  conditions: RuleCondition[];
  action: string | null;
  position: SourcePosition;
  /** The sequencing element the rule belongs to. */
  seq: MSeq;
}

interface MRollupRule {
  childActivitySet: ChildActivitySet;
  minimumCount: number;
  minimumPercent: number;
  conditionCombination: ConditionCombination;
  conditions: RollupCondition[];
  action: string | null;
  position: SourcePosition;
}

type TextSetter = (text: string) => void;

class Abort extends Error {}

/**
 * Parses an `imsmanifest.xml` document into the package model plus diagnostics. Never throws for
 * bad input: malformed XML, a hostile DOCTYPE, excessive depth or size come back as diagnostics with
 * `manifest: null`.
 *
 * A DOCTYPE is never resolved: external entities are not fetched and entities declared in an
 * internal subset are not expanded (they stay as literal `&name;` text), so entity-expansion bombs
 * are harmless.
 *
 * @see SCORM 2004 4th Edition CAM, section 3 (Content Packaging) and section 5 (Sequencing binding)
 * @see SCORM 1.2 CAM, section 2.3
 */
export function parseManifest(
  xml: string | Uint8Array,
  options: ParseManifestOptions = {},
): ParseManifestResult {
  return new ManifestReader(options).read(xml);
}

const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
/** @see SCORM 2004 4th Ed CAM 5.2.1.2 (hideLMSUI vocabulary) */
const HIDE_LMS_UI = new Set([
  'previous',
  'continue',
  'exit',
  'exitAll',
  'abandon',
  'abandonAll',
  'suspendAll',
]);
const ADLCP_ITEM_ELEMENTS = new Set([
  'masteryscore',
  'maxtimeallowed',
  'timelimitaction',
  'datafromlms',
  'prerequisites',
]);

class ManifestReader {
  private readonly file: string;
  private readonly maxDepth: number;
  private readonly maxBytes: number;
  private readonly diags: Diagnostic[] = [];
  private readonly onceKeys = new Set<string>();

  private kinds: FrameKind[] = [F.OUT];
  private objs: unknown[] = [null];
  private depth = 0;
  private text = '';
  private textLine = 1;
  private textColumn = 1;
  private line = 1;
  private column = 1;
  private sawDoctype = false;
  private fatal = false;

  // Manifest parts.
  private identifier: string | null = null;
  private version: string | null = null;
  private base: string | null = null;
  private metadata: Mutable<ManifestMetadata> = {
    schema: null,
    schemaVersion: null,
    title: null,
    description: null,
  };
  private defaultOrg: string | null = null;
  private orgs: MOrg[] = [];
  private resourcesBase: string | null = null;
  private resources: MResource[] = [];
  private collection = new Map<string, MSeq>();
  private submanifests: string[] = [];
  private namespaces = new Set<string>();
  private rootFamily: NamespaceFamily = 'none';
  private rootPosition: SourcePosition = { line: 1, column: 1 };
  private orgsPosition: SourcePosition = { line: 1, column: 1 };
  private schemaVersionPosition: SourcePosition | null = null;
  // Features used, for edition detection.
  private feature4th: string | null = null;
  private feature3rd: string | null = null;
  private featurePosition: SourcePosition | null = null;
  private uses2004Elements = false;

  constructor(options: ParseManifestOptions) {
    this.file = options.fileName ?? 'imsmanifest.xml';
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  read(input: string | Uint8Array): ParseManifestResult {
    const size = typeof input === 'string' ? input.length : input.byteLength;
    if (size > this.maxBytes) {
      this.report(
        'XML_TOO_LARGE',
        `The manifest is ${size} bytes, more than the limit of ${this.maxBytes}.`,
        {
          hint: 'Remove unused metadata from the manifest, or raise the maxBytes option if the package is trusted.',
        },
      );
      return { manifest: null, diagnostics: this.diags };
    }
    const xml = typeof input === 'string' ? input : this.decode(input);
    if (xml === null) return { manifest: null, diagnostics: this.diags };
    const source = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;

    const parser = new SaxesParser({
      xmlns: true,
      position: true,
      resolvePrefix: (prefix: string) => this.resolvePrefix(prefix),
    });
    // Found by a scan of the prolog rather than saxes' doctype event: registering that handler
    // together with opentagstart makes saxes several times slower (measured with bench/parse.ts).
    const doctype = findDoctype(source);
    if (doctype !== null) {
      this.sawDoctype = true;
      this.report(
        'XML_DOCTYPE_IGNORED',
        'The manifest has a DOCTYPE declaration; it was ignored and no entity was expanded or fetched.',
        { ...doctype, hint: 'Remove the DOCTYPE declaration.' },
      );
    }
    parser.on('error', (err) => {
      const message = err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
      if (message === 'undefined entity.') {
        // Left as literal `&name;` text: never expanded.
        if (!this.sawDoctype) {
          this.once('XML_ENTITY_UNDEFINED', message, () =>
            this.report(
              'XML_ENTITY_UNDEFINED',
              'The manifest uses an entity XML does not define (e.g. &nbsp;).',
              {
                line: parser.line,
                column: parser.column + 1,
                hint: 'Use a numeric character reference such as &#160; instead.',
              },
            ),
          );
        }
        return;
      }
      if (this.fatal) return;
      this.fatal = true;
      this.report('XML_MALFORMED', `The manifest is not well-formed XML: ${message}`, {
        line: parser.line,
        column: parser.column + 1,
        hint: 'Fix the XML syntax at this position (an unclosed or mismatched tag is the usual cause).',
      });
    });
    parser.on('opentagstart', (tag) => {
      this.line = parser.line;
      // The name and the character ending it have been read; `column` is 0-based.
      this.column = Math.max(1, parser.column - tag.name.length - 1);
    });
    parser.on('opentag', (tag) => this.open(tag));
    parser.on('closetag', () => this.close());
    parser.on('text', (t) => {
      if (this.kinds[this.kinds.length - 1]! >= TEXT_FRAMES) this.text += t;
    });
    parser.on('cdata', (t) => {
      if (this.kinds[this.kinds.length - 1]! >= TEXT_FRAMES) this.text += t;
    });
    try {
      parser.write(source).close();
    } catch (err) {
      if (!(err instanceof Abort)) throw err;
      return { manifest: null, diagnostics: this.diags };
    }
    if (this.fatal) return { manifest: null, diagnostics: this.diags };
    if (this.kinds[this.kinds.length - 1] !== F.DONE) {
      this.report('MANIFEST_ROOT_INVALID', 'The document has no <manifest> root element.', {
        hint: 'The root element of imsmanifest.xml must be <manifest>.',
      });
      return { manifest: null, diagnostics: this.diags };
    }
    return { manifest: this.finish(), diagnostics: this.diags };
  }

  private decode(bytes: Uint8Array): string | null {
    let encoding = 'utf-8';
    if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
    else if (!(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) {
      const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
      const declared = /^<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1]?.toLowerCase();
      if (declared && declared !== 'utf-8' && declared !== 'utf8') encoding = declared;
    }
    if (encoding === 'utf-8') {
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        // Older authoring tools write Windows-1252 without declaring it; read it as such.
        this.report(
          'XML_ENCODING_INVALID',
          'The manifest is not valid UTF-8 (and declares no other encoding); it was read as Windows-1252.',
          { hint: 'Save imsmanifest.xml as UTF-8, or declare its encoding in the XML declaration.' },
        );
        return new TextDecoder('windows-1252').decode(bytes);
      }
    }
    try {
      return new TextDecoder(encoding).decode(bytes);
    } catch {
      this.report(
        'XML_ENCODING_UNSUPPORTED',
        `The manifest declares the unsupported encoding "${encoding}".`,
        {
          hint: 'Save imsmanifest.xml as UTF-8.',
        },
      );
      return null;
    }
  }

  private resolvePrefix(prefix: string): string | undefined {
    const known: Record<string, string> = {
      adlcp: NAMESPACES.adlcp,
      adlseq: NAMESPACES.adlseq,
      adlnav: NAMESPACES.adlnav,
      imsss: NAMESPACES.imsss,
      imscp: NAMESPACES.imscp,
      xsi: NAMESPACES.xsi,
    };
    const uri = known[prefix];
    if (uri === undefined) return undefined;
    this.once(`prefix:${prefix}`, '', () =>
      this.report('MANIFEST_NAMESPACE_MISSING', `The prefix "${prefix}" is used but never declared.`, {
        line: this.line,
        column: this.column,
        hint: `Declare it on <manifest>: xmlns:${prefix}="${uri}".`,
      }),
    );
    return uri;
  }

  // --- diagnostics helpers ---

  private report(
    code: DiagnosticCode,
    message: string,
    where: { line?: number; column?: number; hint?: string; severity?: Diagnostic['severity'] } = {},
  ): void {
    this.diags.push(diagnostic(code, message, { file: this.file, ...where }));
  }

  private at(position: SourcePosition, hint?: string): { line: number; column: number; hint?: string } {
    return hint === undefined ? { ...position } : { ...position, hint };
  }

  private once(kind: string, key: string, fn: () => void): void {
    const k = `${kind}\u0000${key}`;
    if (this.onceKeys.has(k)) return;
    this.onceKeys.add(k);
    fn();
  }

  private feature(edition: 3 | 4, name: string): void {
    if (edition === 4 && this.feature4th === null) {
      this.feature4th = name;
      this.featurePosition = this.pos();
    } else if (edition === 3 && this.feature3rd === null) {
      this.feature3rd = name;
      if (this.feature4th === null) this.featurePosition = this.pos();
    }
  }

  private textPosition(): SourcePosition {
    return { line: this.textLine, column: this.textColumn };
  }

  private pos(): SourcePosition {
    return { line: this.line, column: this.column };
  }

  private expectNs(tag: SaxesTagNS, expected: NamespaceFamily): void {
    const family = namespaceFamily(tag.uri);
    if (family === expected || (expected === 'cp' && family === 'none' && this.rootFamily === 'none')) return;
    this.once('ns', `${tag.local}:${family}`, () =>
      this.report(
        'MANIFEST_NAMESPACE_WRONG',
        `<${tag.name}> is in ${tag.uri ? `the namespace ${tag.uri}` : 'no namespace'}; expected the ${expected} namespace. It was read anyway.`,
        this.at(this.pos(), `Put <${tag.local}> in the ${expected} namespace.`),
      ),
    );
  }

  private invalid(what: string, value: string, position: SourcePosition, allowed: string): void {
    this.report('VALUE_INVALID', `${what} has the invalid value "${value}"; the default was used.`, {
      ...position,
      hint: `Use ${allowed}.`,
    });
  }

  // --- attribute readers ---

  private attr(tag: SaxesTagNS, name: string): string | null {
    const a = tag.attributes[name];
    return a === undefined ? null : a.value;
  }

  /** An attribute by local name in any namespace and any case (for adlcp:scormtype and friends). */
  private attrLoose(tag: SaxesTagNS, local: string): string | null {
    const usual = tag.attributes[`adlcp:${local}`];
    if (usual !== undefined) return usual.value;
    const lower = local.toLowerCase();
    for (const key in tag.attributes) {
      const a = tag.attributes[key]!;
      if (a.local.toLowerCase() === lower && a.prefix !== 'xmlns') return a.value;
    }
    return null;
  }

  private bool(tag: SaxesTagNS, name: string, what: string): boolean | undefined {
    const raw = this.attr(tag, name);
    if (raw === null) return undefined;
    const v = raw.trim();
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    this.invalid(`${what} ${name}`, raw, this.pos(), '"true" or "false"');
    return undefined;
  }

  private decimal(raw: string | null, what: string, min: number, max: number): number | undefined {
    if (raw === null) return undefined;
    const v = raw.trim();
    const n = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(v) ? Number(v) : Number.NaN;
    if (Number.isNaN(n) || n < min || n > max) {
      this.invalid(what, raw, this.pos(), `a decimal from ${min} to ${max}`);
      return undefined;
    }
    return n;
  }

  private integer(raw: string | null, what: string): number | undefined {
    if (raw === null) return undefined;
    const v = raw.trim();
    if (!/^\+?\d+$/.test(v)) {
      this.invalid(what, raw, this.pos(), 'a non-negative integer');
      return undefined;
    }
    return Number(v);
  }

  private token<T extends string>(raw: string | null, allowed: readonly T[], what: string): T | undefined {
    if (raw === null) return undefined;
    const v = raw.trim();
    if ((allowed as readonly string[]).includes(v)) return v as T;
    this.invalid(what, raw, this.pos(), allowed.map((a) => `"${a}"`).join(', '));
    return undefined;
  }

  // --- the event interpreter ---

  private push(kind: FrameKind, obj: unknown = null) {
    this.kinds.push(kind);
    this.objs.push(obj);
  }

  private pushText(set: TextSetter) {
    this.pushTextFrame(F.TEXT, set);
  }

  /** Starts collecting the text of the element just opened; remembers where it starts. */
  private pushTextFrame(kind: FrameKind, obj: unknown) {
    this.text = '';
    this.textLine = this.line;
    this.textColumn = this.column;
    this.push(kind, obj);
  }

  private open(tag: SaxesTagNS) {
    if (++this.depth > this.maxDepth) {
      this.report('XML_TOO_DEEP', `Elements are nested more than ${this.maxDepth} levels deep.`, {
        ...this.pos(),
        hint: 'Flatten the item tree; real packages never nest this deep.',
      });
      throw new Abort();
    }
    // Namespaces are declared on the root and, in some packages, on the elements just below it.
    if (this.depth <= 4) {
      const ns = tag.ns;
      for (const prefix in ns) this.namespaces.add(ns[prefix]!);
    }
    const top = this.kinds[this.kinds.length - 1]!;
    const obj = this.objs[this.objs.length - 1];
    const local = tag.local;
    switch (top) {
      case F.OUT:
        return this.openRoot(tag);
      case F.MANIFEST:
        return this.openInManifest(tag);
      case F.METADATA:
        if (local === 'schema') return this.pushText((t) => (this.metadata.schema ??= t.trim()));
        if (local === 'schemaversion') {
          this.schemaVersionPosition = this.pos();
          return this.pushText((t) => (this.metadata.schemaVersion ??= t.trim()));
        }
        if (local === 'lom') return this.push(F.LOM, ['lom']);
        return this.push(F.SKIP);
      case F.LOM:
        return this.openInLom(tag, obj as string[]);
      case F.ORGS:
        if (local === 'organization') return this.openOrganization(tag);
        return this.push(F.SKIP);
      case F.ORG:
      case F.ITEM:
        return this.openInItemOrOrg(tag, top, obj as MItem | MOrg);
      case F.RESOURCES:
        if (local === 'resource') return this.openResource(tag);
        return this.push(F.SKIP);
      case F.RESOURCE:
        return this.openInResource(tag, obj as MResource);
      case F.SEQ_COLLECTION:
        if (local === 'sequencing') return this.openSequencing(tag, null);
        return this.push(F.SKIP);
      case F.SEQ:
        return this.openInSequencing(tag, obj as MSeq);
      case F.SEQ_RULES:
        return this.openRule(tag, obj as MSeq);
      case F.RULE: {
        const rule = obj as MRule;
        if (local === 'ruleConditions') {
          const c = this.token(
            this.attr(tag, 'conditionCombination'),
            ['all', 'any'],
            'conditionCombination',
          );
          if (c) rule.conditionCombination = c;
          return this.push(F.RULE_CONDS, rule);
        }
        if (local === 'ruleAction') rule.action = this.attr(tag, 'action');
        return this.push(F.SKIP);
      }
      case F.RULE_CONDS:
        if (local === 'ruleCondition') this.readRuleCondition(tag, obj as MRule);
        return this.push(F.SKIP);
      case F.ROLLUP_RULES:
        if (local === 'rollupRule') return this.openRollupRule(tag, obj as MSeq);
        return this.push(F.SKIP);
      case F.ROLLUP_RULE: {
        const rule = obj as MRollupRule;
        if (local === 'rollupConditions') {
          const c = this.token(
            this.attr(tag, 'conditionCombination'),
            ['all', 'any'],
            'conditionCombination',
          );
          if (c) rule.conditionCombination = c;
          return this.push(F.ROLLUP_CONDS, rule);
        }
        if (local === 'rollupAction') rule.action = this.attr(tag, 'action');
        return this.push(F.SKIP);
      }
      case F.ROLLUP_CONDS:
        if (local === 'rollupCondition') {
          const rule = obj as MRollupRule;
          const condition = this.token(
            this.attr(tag, 'condition'),
            ROLLUP_RULE_CONDITIONS,
            'rollupCondition condition',
          );
          const operator = this.token<ConditionOperator>(
            this.attr(tag, 'operator'),
            ['noOp', 'not'],
            'operator',
          );
          if (condition) rule.conditions.push({ operator: operator ?? 'noOp', condition });
        }
        return this.push(F.SKIP);
      case F.OBJECTIVES:
        return this.openObjective(tag, obj as MSeq);
      case F.OBJECTIVE: {
        const o = obj as Mutable<Objective> & { mapInfo: ObjectiveMapInfo[] };
        if (local === 'minNormalizedMeasure') return this.pushTextFrame(F.MIN_MEASURE, o);
        if (local === 'mapInfo') this.readMapInfo(tag, o);
        return this.push(F.SKIP);
      }
      case F.ADL_OBJECTIVES:
        if (local === 'objective') {
          const seq = obj as MSeq;
          const objectiveID = canonicalObjectiveId(this.attr(tag, 'objectiveID') ?? '');
          const entry = { objectiveID, mapInfo: [] as AdlObjectiveMapInfo[] };
          if (seq.def.adlObjectives === undefined) seq.def.adlObjectives = [];
          seq.def.adlObjectives.push(entry);
          seq.adl.push({ objectiveID, position: this.pos() });
          return this.push(F.ADL_OBJECTIVE, entry);
        }
        return this.push(F.SKIP);
      case F.ADL_OBJECTIVE:
        if (local === 'mapInfo') this.readAdlMapInfo(tag, obj as { mapInfo: AdlObjectiveMapInfo[] });
        return this.push(F.SKIP);
      case F.AUX:
        if (local === 'auxiliaryResource') {
          const id = this.attr(tag, 'auxiliaryResourceID');
          const purpose = this.attr(tag, 'purpose');
          const def = (obj as MSeq).def;
          if (def.auxiliaryResources === undefined) def.auxiliaryResources = [];
          if (id !== null) def.auxiliaryResources.push({ auxiliaryResourceID: id, purpose: purpose ?? '' });
        }
        return this.push(F.SKIP);
      case F.PRESENTATION:
        if (local === 'navigationInterface') return this.push(F.NAV_INTERFACE, obj);
        return this.push(F.SKIP);
      case F.NAV_INTERFACE:
        if (local === 'hideLMSUI') return this.pushTextFrame(F.HIDE_LMS_UI, obj);
        return this.push(F.SKIP);
      case F.DATA:
        if (local === 'map') {
          const item = obj as MItem;
          const targetID = this.attr(tag, 'targetID');
          if (targetID === null) {
            this.report(
              'VALUE_INVALID',
              `A <adlcp:map> of item "${item.identifier}" has no targetID; it was ignored.`,
              this.at(this.pos(), 'Add targetID.'),
            );
          } else {
            if (item.data === null) item.data = [];
            item.data.push({
              targetID,
              readSharedData: this.bool(tag, 'readSharedData', 'adlcp:map') ?? true,
              writeSharedData: this.bool(tag, 'writeSharedData', 'adlcp:map') ?? false,
            });
          }
        }
        return this.push(F.SKIP);
      default:
        return this.push(F.SKIP);
    }
  }

  private close() {
    this.depth--;
    const kind = this.kinds.pop()!;
    const obj = this.objs.pop();
    switch (kind) {
      case F.TEXT:
        (obj as TextSetter)(this.text);
        this.text = '';
        return;
      case F.TITLE: {
        const owner = obj as MItem | MOrg;
        owner.title ??= this.text.trim();
        this.text = '';
        return;
      }
      case F.HIDE_LMS_UI: {
        const item = obj as MItem;
        const v = this.text.trim();
        this.text = '';
        if (HIDE_LMS_UI.has(v)) {
          if (item.hideLmsUi === null) item.hideLmsUi = [];
          item.hideLmsUi.push(v);
        } else {
          this.invalid(
            `adlnav:hideLMSUI of item "${item.identifier}"`,
            v,
            this.textPosition(),
            [...HIDE_LMS_UI].join(', '),
          );
        }
        return;
      }
      case F.MIN_MEASURE: {
        const o = obj as Mutable<Objective>;
        const n = this.decimalAt(this.text, 'minNormalizedMeasure', -1, 1, this.textPosition());
        this.text = '';
        if (n !== undefined) o.minNormalizedMeasure = n;
        return;
      }
      case F.MANIFEST:
        this.kinds[this.kinds.length - 1] = F.DONE;
        return;
      case F.SEQ:
        return this.closeSequencing(obj as MSeq);
      case F.RULE:
        return this.closeRule(obj as MRule);
      case F.ROLLUP_RULE:
        return this.closeRollupRule(obj as MRollupRule);
      default:
        return;
    }
  }

  private openRoot(tag: SaxesTagNS) {
    if (tag.local !== 'manifest') {
      this.report('MANIFEST_ROOT_INVALID', `The root element is <${tag.name}>, not <manifest>.`, {
        ...this.pos(),
        hint: 'imsmanifest.xml must have <manifest> as its root element.',
      });
      throw new Abort();
    }
    this.rootFamily = namespaceFamily(tag.uri);
    this.rootPosition = this.pos();
    if (this.rootFamily === 'none') {
      this.report(
        'MANIFEST_NAMESPACE_MISSING',
        'The <manifest> element declares no content-packaging namespace.',
        {
          ...this.pos(),
          hint: `Add xmlns="${NAMESPACES.imscp}" (SCORM 2004) or xmlns="${NAMESPACES.imscp12}" (SCORM 1.2).`,
        },
      );
    } else if (this.rootFamily !== 'cp') {
      this.expectNs(tag, 'cp');
    }
    this.identifier = this.attr(tag, 'identifier');
    this.version = this.attr(tag, 'version');
    this.base = this.attr(tag, 'xml:base');
    this.push(F.MANIFEST);
  }

  private openInManifest(tag: SaxesTagNS) {
    switch (tag.local) {
      case 'metadata':
        return this.push(F.METADATA);
      case 'organizations':
        this.orgsPosition = this.pos();
        this.defaultOrg = this.attr(tag, 'default')?.trim() || null;
        return this.push(F.ORGS);
      case 'resources':
        this.resourcesBase = this.attr(tag, 'xml:base');
        return this.push(F.RESOURCES);
      case 'manifest': {
        const id = this.attr(tag, 'identifier') ?? '(no identifier)';
        this.submanifests.push(id);
        this.report(
          'MANIFEST_SUBMANIFEST_IGNORED',
          `The sub-manifest "${id}" was ignored; its organizations and resources are not part of the package model.`,
          this.at(
            this.pos(),
            'Merge the sub-manifest into the main manifest if its content must be launchable.',
          ),
        );
        return this.push(F.SKIP);
      }
      case 'sequencingCollection':
        this.uses2004Elements = true;
        return this.push(F.SEQ_COLLECTION);
      default:
        return this.push(F.SKIP);
    }
  }

  private openInLom(tag: SaxesTagNS, path: string[]) {
    const local = tag.local.toLowerCase();
    const next = [...path, local];
    if (path.length === 1) return this.push(local === 'general' ? F.LOM : F.SKIP, next);
    if (path.length === 2)
      return this.push(local === 'title' || local === 'description' ? F.LOM : F.SKIP, next);
    if (path.length === 3 && (local === 'string' || local === 'langstring')) {
      const field = path[2] === 'title' ? 'title' : 'description';
      return this.pushText((t) => {
        this.metadata[field] ??= t.trim() || null;
      });
    }
    return this.push(F.SKIP);
  }

  private openOrganization(tag: SaxesTagNS) {
    let objectivesGlobalToSystem: boolean | null = null;
    let sharedDataGlobalToSystem: boolean | null = null;
    for (const key in tag.attributes) {
      const a = tag.attributes[key]!;
      if (a.local === 'objectivesGlobalToSystem') {
        this.uses2004Elements = true;
        objectivesGlobalToSystem = this.bool(tag, key, 'organization') ?? null;
      } else if (a.local === 'sharedDataGlobalToSystem') {
        this.feature(4, 'adlcp:sharedDataGlobalToSystem');
        sharedDataGlobalToSystem = this.bool(tag, key, 'organization') ?? null;
      }
    }
    const org: MOrg = {
      identifier: this.attr(tag, 'identifier')?.trim() || null,
      title: null,
      structure: this.attr(tag, 'structure') ?? 'hierarchical',
      objectivesGlobalToSystem,
      sharedDataGlobalToSystem,
      items: [],
      seq: null,
      position: this.pos(),
    };
    this.orgs.push(org);
    this.push(F.ORG, org);
  }

  private openInItemOrOrg(tag: SaxesTagNS, kind: FrameKind, owner: MItem | MOrg) {
    const local = tag.local;
    switch (local) {
      case 'title':
        return this.pushTextFrame(F.TITLE, owner);
      case 'item':
        return this.openItem(tag, owner);
      case 'sequencing':
        this.uses2004Elements = true;
        this.expectNs(tag, 'imsss');
        return this.openSequencing(tag, owner);
      case 'metadata':
        return this.push(F.SKIP);
    }
    if (kind !== F.ITEM) return this.push(F.SKIP);
    const item = owner as MItem;
    if (local === 'presentation') {
      this.uses2004Elements = true;
      return this.push(F.PRESENTATION, item);
    }
    if (local === 'data') {
      this.feature(4, 'adlcp:data');
      return this.push(F.DATA, item);
    }
    if (local === 'completionThreshold') return this.openCompletionThreshold(tag, item);
    const position = this.pos();
    const lower = local.toLowerCase();
    if (ADLCP_ITEM_ELEMENTS.has(lower)) this.expectNs(tag, 'adlcp');
    switch (lower) {
      case 'masteryscore':
        return this.pushText((t) => {
          const n = this.decimalAt(t, `adlcp:masteryscore of item "${item.identifier}"`, 0, 100, position);
          if (n !== undefined) item.masteryScore = n;
        });
      case 'maxtimeallowed':
        return this.pushText((t) => {
          item.maxTimeAllowed = t.trim();
        });
      case 'timelimitaction':
        return this.pushText((t) => {
          const v = t.trim();
          if (!['exit,message', 'exit,no message', 'continue,message', 'continue,no message'].includes(v)) {
            this.invalid(
              `timeLimitAction of item "${item.identifier}"`,
              v,
              position,
              '"exit,message", "exit,no message", "continue,message" or "continue,no message"',
            );
          }
          item.timeLimitAction = v;
        });
      case 'datafromlms':
        return this.pushText((t) => {
          item.dataFromLms = t;
        });
      case 'prerequisites': {
        const type = this.attr(tag, 'type');
        return this.pushText((t) => {
          item.prerequisites = { value: t.trim(), type };
        });
      }
      default:
        return this.push(F.SKIP);
    }
  }

  private decimalAt(
    raw: string,
    what: string,
    min: number,
    max: number,
    at: SourcePosition,
  ): number | undefined {
    const save = { line: this.line, column: this.column };
    this.line = at.line;
    this.column = at.column;
    try {
      return this.decimal(raw, what, min, max);
    } finally {
      this.line = save.line;
      this.column = save.column;
    }
  }

  private openItem(tag: SaxesTagNS, parent: MItem | MOrg) {
    const rawId = this.attr(tag, 'identifier')?.trim();
    const position = this.pos();
    const isvisible = this.bool(tag, 'isvisible', 'item');
    const item: MItem = {
      identifier: rawId || '',
      title: null,
      identifierref: this.attr(tag, 'identifierref')?.trim() || null,
      parameters: this.attr(tag, 'parameters'),
      isvisible: isvisible ?? true,
      children: [],
      masteryScore: null,
      maxTimeAllowed: null,
      timeLimitAction: null,
      dataFromLms: null,
      prerequisites: null,
      completionThreshold: null,
      data: null,
      hideLmsUi: null,
      seq: null,
      position,
    };
    if ('items' in parent) parent.items.push(item);
    else parent.children.push(item);
    this.push(F.ITEM, item);
  }

  private openCompletionThreshold(tag: SaxesTagNS, item: MItem) {
    const position = this.pos();
    const byMeasure = this.bool(tag, 'completedByMeasure', 'adlcp:completionThreshold');
    const minRaw = this.attr(tag, 'minProgressMeasure');
    const weightRaw = this.attr(tag, 'progressWeight');
    const hasAttrs = byMeasure !== undefined || minRaw !== null || weightRaw !== null;
    if (hasAttrs) this.feature(4, 'adlcp:completionThreshold attributes');
    const what = `adlcp:completionThreshold of item "${item.identifier}"`;
    const ct: Mutable<CompletionThreshold> = {
      completedByMeasure: byMeasure ?? false,
      minProgressMeasure: this.decimal(minRaw, `${what} minProgressMeasure`, 0, 1) ?? 1,
      progressWeight: this.decimal(weightRaw, `${what} progressWeight`, 0, 1) ?? 1,
      form: hasAttrs ? 'attributes' : 'element',
    };
    item.completionThreshold = ct;
    this.pushText((t) => {
      const v = t.trim();
      if (v === '') return;
      const n = this.decimalAt(v, what, 0, 1, position);
      if (n !== undefined && !hasAttrs) {
        // 3rd Edition form: the text is the threshold and completion is judged by measure.
        ct.minProgressMeasure = n;
        ct.completedByMeasure = true;
      }
    });
  }

  private openResource(tag: SaxesTagNS) {
    const scormTypeRaw = this.attrLoose(tag, 'scormType');
    const lower = scormTypeRaw?.trim().toLowerCase() ?? null;
    const resource: MResource = {
      identifier: this.attr(tag, 'identifier')?.trim() || null,
      type: this.attr(tag, 'type'),
      scormType: lower === 'sco' || lower === 'asset' ? lower : null,
      scormTypeRaw,
      href: this.attr(tag, 'href')?.trim() || null,
      base: this.attr(tag, 'xml:base'),
      files: [],
      dependencies: [],
      position: this.pos(),
    };
    if (scormTypeRaw !== null && resource.scormType === null) {
      this.invalid(
        `adlcp:scormType of resource "${resource.identifier ?? ''}"`,
        scormTypeRaw,
        this.pos(),
        '"sco" or "asset"',
      );
    }
    this.resources.push(resource);
    this.push(F.RESOURCE, resource);
  }

  private openInResource(tag: SaxesTagNS, resource: MResource) {
    if (tag.local === 'file') {
      const href = this.attr(tag, 'href')?.trim();
      if (href) resource.files.push(href);
    } else if (tag.local === 'dependency') {
      const ref = this.attr(tag, 'identifierref')?.trim();
      if (ref) resource.dependencies.push(ref);
    }
    this.push(F.SKIP);
  }

  // --- sequencing ---

  private openSequencing(tag: SaxesTagNS, owner: MItem | MOrg | null) {
    const def: MutableDef = {
      id: this.attr(tag, 'ID')?.trim() || null,
      idRef: this.attr(tag, 'IDRef')?.trim() || null,
      // Shared until written: most sequencing elements state only a few groups.
      controlMode: UNSTATED,
      limitConditions: UNSTATED,
      rollupRules: UNSTATED,
      randomizationControls: UNSTATED,
      deliveryControls: UNSTATED,
      constrainedChoiceConsiderations: UNSTATED,
      rollupConsiderations: UNSTATED,
    };
    const seq: MSeq = { def, adl: [], position: this.pos(), owner };
    this.push(F.SEQ, seq);
  }

  private openInSequencing(tag: SaxesTagNS, seq: MSeq) {
    const def = seq.def;
    switch (tag.local) {
      case 'controlMode': {
        const cm = stated(def, 'controlMode');
        for (const flag of [
          'choice',
          'choiceExit',
          'flow',
          'forwardOnly',
          'useCurrentAttemptObjectiveInfo',
          'useCurrentAttemptProgressInfo',
        ] as const) {
          const v = this.bool(tag, flag, 'imsss:controlMode');
          if (v !== undefined) cm[flag] = v;
        }
        return this.push(F.SKIP);
      }
      case 'sequencingRules':
        return this.push(F.SEQ_RULES, seq);
      case 'limitConditions': {
        const limit = this.integer(this.attr(tag, 'attemptLimit'), 'limitConditions attemptLimit');
        const lc = stated(def, 'limitConditions');
        if (limit !== undefined) lc.attemptLimit = limit;
        for (const key of [
          'attemptAbsoluteDurationLimit',
          'attemptExperiencedDurationLimit',
          'activityAbsoluteDurationLimit',
          'activityExperiencedDurationLimit',
        ] as const) {
          const dur = this.attr(tag, key);
          if (dur === null) continue;
          if (DURATION.test(dur.trim())) lc[key] = dur.trim();
          else
            this.invalid(`limitConditions ${key}`, dur, this.pos(), 'an ISO 8601 duration such as PT1H30M');
        }
        for (const key of ['beginTimeLimit', 'endTimeLimit'] as const) {
          const time = this.attr(tag, key);
          if (time === null) continue;
          if (DATE_TIME.test(time.trim())) lc[key] = time.trim();
          else
            this.invalid(
              `limitConditions ${key}`,
              time,
              this.pos(),
              'an xs:dateTime such as 2026-01-31T09:00:00Z',
            );
        }
        return this.push(F.SKIP);
      }
      case 'auxiliaryResources':
        def.auxiliaryResources ??= [];
        return this.push(F.AUX, seq);
      case 'rollupRules': {
        const r = stated(def, 'rollupRules');
        const sat = this.bool(tag, 'rollupObjectiveSatisfied', 'imsss:rollupRules');
        if (sat !== undefined) r.rollupObjectiveSatisfied = sat;
        const prog = this.bool(tag, 'rollupProgressCompletion', 'imsss:rollupRules');
        if (prog !== undefined) r.rollupProgressCompletion = prog;
        const w = this.decimal(
          this.attr(tag, 'objectiveMeasureWeight'),
          'rollupRules objectiveMeasureWeight',
          0,
          1,
        );
        if (w !== undefined) r.objectiveMeasureWeight = w;
        r.rules ??= [];
        return this.push(F.ROLLUP_RULES, seq);
      }
      case 'objectives':
        if (namespaceFamily(tag.uri) === 'adlseq') {
          this.feature(4, 'adlseq:objectives');
          return this.push(F.ADL_OBJECTIVES, seq);
        }
        def.objectives ??= { primaryObjective: null, objectives: [] };
        return this.push(F.OBJECTIVES, seq);
      case 'randomizationControls': {
        const rc = stated(def, 'randomizationControls');
        const timings: RandomizationTiming[] = ['never', 'once', 'onEachNewAttempt'];
        const rt = this.token(this.attr(tag, 'randomizationTiming'), timings, 'randomizationTiming');
        if (rt) rc.randomizationTiming = rt;
        const st = this.token(this.attr(tag, 'selectionTiming'), timings, 'selectionTiming');
        if (st) rc.selectionTiming = st;
        const sc = this.integer(this.attr(tag, 'selectCount'), 'randomizationControls selectCount');
        if (sc !== undefined) rc.selectCount = sc;
        const rch = this.bool(tag, 'reorderChildren', 'imsss:randomizationControls');
        if (rch !== undefined) rc.reorderChildren = rch;
        return this.push(F.SKIP);
      }
      case 'deliveryControls': {
        const dc = stated(def, 'deliveryControls');
        for (const flag of ['tracked', 'completionSetByContent', 'objectiveSetByContent'] as const) {
          const v = this.bool(tag, flag, 'imsss:deliveryControls');
          if (v !== undefined) dc[flag] = v;
        }
        return this.push(F.SKIP);
      }
      case 'constrainedChoiceConsiderations': {
        this.feature(3, 'adlseq:constrainedChoiceConsiderations');
        const cc = stated(def, 'constrainedChoiceConsiderations');
        for (const flag of ['preventActivation', 'constrainChoice'] as const) {
          const v = this.bool(tag, flag, 'adlseq:constrainedChoiceConsiderations');
          if (v !== undefined) cc[flag] = v;
        }
        return this.push(F.SKIP);
      }
      case 'rollupConsiderations': {
        this.feature(3, 'adlseq:rollupConsiderations');
        const rc = stated(def, 'rollupConsiderations');
        const values: RollupConsideration[] = ['always', 'ifAttempted', 'ifNotSkipped', 'ifNotSuspended'];
        for (const key of [
          'requiredForSatisfied',
          'requiredForNotSatisfied',
          'requiredForCompleted',
          'requiredForIncomplete',
        ] as const) {
          const v = this.token(this.attr(tag, key), values, `rollupConsiderations ${key}`);
          if (v) rc[key] = v;
        }
        const m = this.bool(tag, 'measureSatisfactionIfActive', 'adlseq:rollupConsiderations');
        if (m !== undefined) rc.measureSatisfactionIfActive = m;
        return this.push(F.SKIP);
      }
      default:
        return this.push(F.SKIP);
    }
  }

  private openRule(tag: SaxesTagNS, seq: MSeq) {
    const kind =
      tag.local === 'preConditionRule'
        ? 'pre'
        : tag.local === 'exitConditionRule'
          ? 'exit'
          : tag.local === 'postConditionRule'
            ? 'post'
            : null;
    if (kind === null) return this.push(F.SKIP);
    const list =
      kind === 'pre' ? 'preConditionRules' : kind === 'exit' ? 'exitConditionRules' : 'postConditionRules';
    seq.def[list] ??= [];
    const rule: MRule = {
      kind,
      conditionCombination: 'all',
      conditions: [],
      action: null,
      position: this.pos(),
      seq,
    };
    this.push(F.RULE, rule);
  }

  private readRuleCondition(tag: SaxesTagNS, rule: MRule): void {
    const condition = this.token(
      this.attr(tag, 'condition'),
      SEQUENCING_RULE_CONDITIONS,
      'ruleCondition condition',
    );
    if (!condition) return;
    const operator = this.token<ConditionOperator>(
      this.attr(tag, 'operator'),
      ['noOp', 'not'],
      'ruleCondition operator',
    );
    const threshold = this.decimal(
      this.attr(tag, 'measureThreshold'),
      'ruleCondition measureThreshold',
      -1,
      1,
    );
    rule.conditions.push({
      referencedObjective: canonicalObjectiveId(this.attr(tag, 'referencedObjective') ?? '') || null,
      measureThreshold: threshold ?? 0,
      operator: operator ?? 'noOp',
      condition,
    });
  }

  private closeRule(rule: MRule) {
    const seq = rule.seq;
    const position = rule.position;
    const save = { line: this.line, column: this.column };
    this.line = position.line;
    this.column = position.column;
    const allowed =
      rule.kind === 'pre'
        ? PRE_CONDITION_ACTIONS
        : rule.kind === 'exit'
          ? EXIT_CONDITION_ACTIONS
          : POST_CONDITION_ACTIONS;
    const action =
      rule.action === null
        ? undefined
        : this.token(rule.action, allowed as readonly string[], `${rule.kind}ConditionRule action`);
    this.line = save.line;
    this.column = save.column;
    if (action === undefined || rule.conditions.length === 0) {
      if (rule.action === null || rule.conditions.length === 0) {
        this.report(
          'VALUE_INVALID',
          `A ${rule.kind}ConditionRule has no ${rule.action === null ? 'ruleAction' : 'valid ruleCondition'}; it was ignored.`,
          this.at(position, 'Every sequencing rule needs at least one ruleCondition and a ruleAction.'),
        );
      }
      return;
    }
    const built = { conditionCombination: rule.conditionCombination, conditions: rule.conditions, action };
    if (rule.kind === 'pre')
      seq.def.preConditionRules!.push(built as SequencingRule<(typeof PRE_CONDITION_ACTIONS)[number]>);
    else if (rule.kind === 'exit') seq.def.exitConditionRules!.push(built as SequencingRule<'exit'>);
    else seq.def.postConditionRules!.push(built as SequencingRule<(typeof POST_CONDITION_ACTIONS)[number]>);
  }

  private openRollupRule(tag: SaxesTagNS, seq: MSeq) {
    const rule: MRollupRule & { seq: MSeq } = {
      childActivitySet:
        this.token(this.attr(tag, 'childActivitySet'), CHILD_ACTIVITY_SETS, 'rollupRule childActivitySet') ??
        'all',
      minimumCount: this.integer(this.attr(tag, 'minimumCount'), 'rollupRule minimumCount') ?? 0,
      minimumPercent: this.decimal(this.attr(tag, 'minimumPercent'), 'rollupRule minimumPercent', 0, 1) ?? 0,
      conditionCombination: 'any',
      conditions: [],
      action: null,
      position: this.pos(),
      seq,
    };
    this.push(F.ROLLUP_RULE, rule);
  }

  private closeRollupRule(rule: MRollupRule) {
    const seq = (rule as MRollupRule & { seq: MSeq }).seq;
    const save = { line: this.line, column: this.column };
    this.line = rule.position.line;
    this.column = rule.position.column;
    const action =
      rule.action === null ? undefined : this.token(rule.action, ROLLUP_ACTIONS, 'rollupAction action');
    this.line = save.line;
    this.column = save.column;
    if (action === undefined || rule.conditions.length === 0) {
      if (rule.action === null || rule.conditions.length === 0) {
        this.report(
          'VALUE_INVALID',
          `A rollupRule has no ${rule.action === null ? 'rollupAction' : 'valid rollupCondition'}; it was ignored.`,
          this.at(rule.position, 'Every rollup rule needs rollupConditions and a rollupAction.'),
        );
      }
      return;
    }
    const built: RollupRule = {
      childActivitySet: rule.childActivitySet,
      minimumCount: rule.minimumCount,
      minimumPercent: rule.minimumPercent,
      conditionCombination: rule.conditionCombination,
      conditions: rule.conditions,
      action,
    };
    seq.def.rollupRules.rules!.push(built);
  }

  private openObjective(tag: SaxesTagNS, seq: MSeq) {
    const primary = tag.local === 'primaryObjective';
    if (!primary && tag.local !== 'objective') return this.push(F.SKIP);
    const objectiveID = canonicalObjectiveId(this.attr(tag, 'objectiveID') ?? '') || null;
    if (!primary && objectiveID === null) {
      this.report(
        'VALUE_INVALID',
        'An <imsss:objective> has no objectiveID.',
        this.at(this.pos(), 'Every objective other than the primary one needs an objectiveID.'),
      );
    }
    const objective: Mutable<Objective> & { mapInfo: ObjectiveMapInfo[]; adlMapInfo: AdlObjectiveMapInfo[] } =
      {
        objectiveID,
        satisfiedByMeasure: this.bool(tag, 'satisfiedByMeasure', 'objective') ?? false,
        minNormalizedMeasure: 1,
        mapInfo: [],
        adlMapInfo: [],
      };
    const objectives = seq.def.objectives!;
    if (primary) objectives.primaryObjective = objective;
    else objectives.objectives.push(objective);
    this.push(F.OBJECTIVE, objective);
  }

  private readMapInfo(tag: SaxesTagNS, o: { mapInfo: ObjectiveMapInfo[] }): void {
    const target = canonicalObjectiveId(this.attr(tag, 'targetObjectiveID') ?? '');
    if (!target) {
      this.report(
        'VALUE_INVALID',
        'An <imsss:mapInfo> has no targetObjectiveID; it was ignored.',
        this.at(this.pos(), 'Add targetObjectiveID.'),
      );
      return;
    }
    o.mapInfo.push({
      targetObjectiveID: target,
      readSatisfiedStatus: this.bool(tag, 'readSatisfiedStatus', 'mapInfo') ?? true,
      readNormalizedMeasure: this.bool(tag, 'readNormalizedMeasure', 'mapInfo') ?? true,
      writeSatisfiedStatus: this.bool(tag, 'writeSatisfiedStatus', 'mapInfo') ?? false,
      writeNormalizedMeasure: this.bool(tag, 'writeNormalizedMeasure', 'mapInfo') ?? false,
    });
  }

  private readAdlMapInfo(tag: SaxesTagNS, o: { mapInfo: AdlObjectiveMapInfo[] }): void {
    const target = canonicalObjectiveId(this.attr(tag, 'targetObjectiveID') ?? '');
    if (!target) {
      this.report(
        'VALUE_INVALID',
        'An <adlseq:mapInfo> has no targetObjectiveID; it was ignored.',
        this.at(this.pos(), 'Add targetObjectiveID.'),
      );
      return;
    }
    const what = 'adlseq:mapInfo';
    o.mapInfo.push({
      targetObjectiveID: target,
      readRawScore: this.bool(tag, 'readRawScore', what) ?? true,
      readMinScore: this.bool(tag, 'readMinScore', what) ?? true,
      readMaxScore: this.bool(tag, 'readMaxScore', what) ?? true,
      readCompletionStatus: this.bool(tag, 'readCompletionStatus', what) ?? true,
      readProgressMeasure: this.bool(tag, 'readProgressMeasure', what) ?? true,
      writeRawScore: this.bool(tag, 'writeRawScore', what) ?? false,
      writeMinScore: this.bool(tag, 'writeMinScore', what) ?? false,
      writeMaxScore: this.bool(tag, 'writeMaxScore', what) ?? false,
      writeCompletionStatus: this.bool(tag, 'writeCompletionStatus', what) ?? false,
      writeProgressMeasure: this.bool(tag, 'writeProgressMeasure', what) ?? false,
    });
  }

  private closeSequencing(seq: MSeq) {
    const def = seq.def;
    if (seq.owner === null) {
      if (def.id === null) {
        this.report(
          'VALUE_INVALID',
          'A <imsss:sequencing> in the sequencingCollection has no ID; it can never be referenced.',
          this.at(seq.position, 'Add an ID attribute.'),
        );
      } else if (this.collection.has(def.id)) {
        this.report(
          'IDENTIFIER_DUPLICATE',
          `The sequencingCollection ID "${def.id}" is declared twice; the first is used.`,
          this.at(seq.position, 'Give every collection entry a unique ID.'),
        );
      } else {
        this.collection.set(def.id, seq);
      }
      return;
    }
    seq.owner.seq = seq;
  }

  // --- resolution ---

  private finish(): Manifest {
    const family = this.detectFamily();
    const is2004 = family === '2004';
    const ids = new Map<string, SourcePosition>();
    const claim = (id: string, position: SourcePosition, what: string) => {
      const first = ids.get(id);
      if (first) {
        this.report(
          'IDENTIFIER_DUPLICATE',
          `The identifier "${id}" of this ${what} is already used at line ${first.line}.`,
          this.at(
            position,
            'Identifiers of the manifest, organizations, items and resources must be unique.',
          ),
        );
      } else ids.set(id, position);
    };

    if (!this.identifier) {
      this.report('MANIFEST_IDENTIFIER_MISSING', 'The <manifest> element has no identifier.', {
        ...this.rootPosition,
        hint: 'Add identifier="..." to <manifest>.',
      });
    }
    this.checkMetadata();
    for (const uri of this.namespaces) {
      const fam = namespaceFamily(uri);
      if (fam !== 'other' && fam !== 'none' && !isKnownNamespace(uri)) {
        this.report(
          'MANIFEST_NAMESPACE_UNKNOWN',
          `The namespace ${uri} is not a SCORM namespace; its elements were read as ${fam}.`,
          {
            ...this.rootPosition,
            hint: `Use the SCORM ${fam} namespace URI (see the SCORM CAM, XML binding).`,
          },
        );
      }
    }

    // Resources.
    const resources: Resource[] = [];
    const byId = new Map<string, Resource>();
    this.resources.forEach((r, index) => {
      let identifier = r.identifier;
      if (identifier === null) {
        identifier = `__resource_${index + 1}`;
        this.report(
          'RESOURCE_IDENTIFIER_MISSING',
          `Resource #${index + 1} has no identifier; no item can reference it.`,
          this.at(r.position, 'Add identifier="..." to the <resource>.'),
        );
      } else claim(identifier, r.position, 'resource');
      const bases = [this.base, this.resourcesBase, r.base];
      const resolvedHref = r.href === null ? null : resolveAgainstBases(r.href, bases);
      // Most file hrefs are plain relative paths: join them to the resource's folder directly.
      const folder = resolveAgainstBases('', bases);
      const plainFolder = !isAbsoluteReference(folder) && !/[?#%\\]/.test(folder);
      const files: ResourceFile[] = r.files.map((href) => ({
        href,
        path: plainFolder && isPlainPath(href) ? folder + href : hrefToPath(resolveAgainstBases(href, bases)),
      }));
      const resource: Resource = {
        identifier,
        type: r.type,
        scormType: r.scormType,
        href: r.href,
        base: r.base,
        resolvedHref,
        files,
        dependencies: r.dependencies,
        position: r.position,
      };
      resources.push(resource);
      if (!byId.has(identifier)) byId.set(identifier, resource);
    });
    for (const r of resources) {
      for (const dep of r.dependencies) {
        if (!byId.has(dep)) {
          this.report(
            'RESOURCE_DEPENDENCY_UNKNOWN',
            `Resource "${r.identifier}" depends on "${dep}", which is not a resource of this manifest.`,
            this.at(r.position, 'Fix the dependency identifierref or add the missing resource.'),
          );
        }
      }
    }

    // Organizations and items.
    const referenced = new Set<Resource>();
    const itemIds = new Set<string>();
    const collectIds = (items: readonly MItem[]) => {
      for (const i of items) {
        if (i.identifier) itemIds.add(i.identifier);
        collectIds(i.children);
      }
    };
    for (const o of this.orgs) collectIds(o.items);

    let itemCounter = 0;
    const buildItem = (m: MItem, globalObjectives: Set<string>): Item => {
      itemCounter++;
      let identifier = m.identifier;
      if (!identifier) {
        identifier = `__item_${itemCounter}`;
        this.report(
          'ITEM_IDENTIFIER_MISSING',
          `An item${m.title ? ` ("${m.title}")` : ''} has no identifier.`,
          this.at(m.position, 'Add identifier="..." to the <item>.'),
        );
      } else claim(identifier, m.position, 'item');
      if (m.title === null || m.title === '') {
        this.report(
          'ITEM_TITLE_MISSING',
          `The item "${identifier}" has no title.`,
          this.at(m.position, 'Add a <title> to the item.'),
        );
      }
      let resource: Resource | null = null;
      if (m.identifierref !== null) {
        resource = byId.get(m.identifierref) ?? null;
        if (resource === null) {
          if (this.submanifests.includes(m.identifierref)) {
            this.report(
              'ITEM_RESOURCE_MISSING',
              `The item "${identifier}" references the sub-manifest "${m.identifierref}", which is not supported.`,
              this.at(m.position, 'Reference a resource of the main manifest.'),
            );
          } else {
            const ref = m.identifierref.toLowerCase();
            const near = resources.find((r) => r.identifier.toLowerCase() === ref)?.identifier;
            this.report(
              'ITEM_RESOURCE_MISSING',
              `The item "${identifier}" references the resource "${m.identifierref}", which does not exist${near ? ` (there is "${near}": identifiers are case-sensitive)` : ''}.`,
              this.at(
                m.position,
                near ? `Set identifierref="${near}".` : 'Fix identifierref or add the missing <resource>.',
              ),
            );
          }
        } else {
          referenced.add(resource);
        }
      }
      if (m.masteryScore === 0) {
        this.report(
          'MASTERYSCORE_ZERO',
          `The item "${identifier}" has a mastery score of 0, so every attempt passes.`,
          this.at(m.position, 'Remove adlcp:masteryscore or set the real passing score.'),
        );
      }
      if (m.prerequisites && m.prerequisites.value !== '') {
        const names = m.prerequisites.value.match(/[A-Za-z_][\w.-]*/g) ?? [];
        for (const name of names) {
          if (/^(and|or|not)$/i.test(name)) continue;
          if (!itemIds.has(name)) {
            this.report(
              'SEQ_UNKNOWN_ACTIVITY',
              `The prerequisites of item "${identifier}" name "${name}", which is not an item of this manifest.`,
              this.at(m.position, 'Use item identifiers in adlcp:prerequisites.'),
            );
          }
        }
      }
      if (m.children.length === 0 && m.identifierref === null) {
        this.report(
          'ITEM_LEAF_NO_RESOURCE',
          `The item "${identifier}" has neither child items nor a resource, so a learner can do nothing with it.`,
          this.at(m.position, 'Give the item an identifierref to a resource, or remove it.'),
        );
      } else if (is2004 && m.children.length > 0 && m.identifierref !== null) {
        this.report(
          'ITEM_AGGREGATION_WITH_RESOURCE',
          `The item "${identifier}" has child items and also references the resource "${m.identifierref}"; SCORM 2004 never launches a cluster's resource.`,
          this.at(m.position, 'Move the resource to a new leaf item under it.'),
        );
      }
      const children = m.children.map((c) => buildItem(c, globalObjectives));
      const sequencing = is2004 ? this.resolveSeq(m.seq, identifier, m.position, globalObjectives) : null;
      const launchUrl = resource?.resolvedHref ? mergeParameters(resource.resolvedHref, m.parameters) : null;
      return {
        identifier,
        title: m.title || identifier,
        identifierref: m.identifierref,
        parameters: m.parameters,
        isvisible: m.isvisible,
        children,
        resource,
        launchUrl,
        masteryScore: m.masteryScore,
        maxTimeAllowed: m.maxTimeAllowed,
        timeLimitAction: m.timeLimitAction,
        dataFromLms: m.dataFromLms,
        prerequisites: m.prerequisites,
        completionThreshold: m.completionThreshold,
        data: m.data ?? NONE,
        hideLmsUi: m.hideLmsUi ?? NONE,
        sequencing,
        position: m.position,
      };
    };

    const organizations: Organization[] = this.orgs.map((o, index) => {
      let identifier = o.identifier;
      if (identifier === null) {
        identifier = `__organization_${index + 1}`;
        this.report(
          'ORG_IDENTIFIER_MISSING',
          `Organization #${index + 1}${o.title ? ` ("${o.title}")` : ''} has no identifier.`,
          this.at(
            o.position,
            'Add identifier="..." to the <organization> (and name it in organizations/@default).',
          ),
        );
      } else claim(identifier, o.position, 'organization');
      if (!o.title) {
        this.report(
          'ORG_TITLE_MISSING',
          `The organization "${identifier}" has no title.`,
          this.at(
            o.position,
            'Add a <title> as the first child of the <organization>; learners see it as the course name.',
          ),
        );
      }
      const globalObjectives = new Set<string>();
      const items = o.items.map((i) => buildItem(i, globalObjectives));
      const sequencing = is2004 ? this.resolveSeq(o.seq, identifier, o.position, globalObjectives) : null;
      if (is2004 && o.objectivesGlobalToSystem === null && globalObjectives.size > 0) {
        this.report(
          'OBJECTIVES_GLOBAL_DEFAULT',
          `The organization "${identifier}" maps to global objectives (${[...globalObjectives].slice(0, 3).join(', ')}) and leaves adlseq:objectivesGlobalToSystem at its default (true): they are shared with every other course in the system.`,
          this.at(
            o.position,
            'Set adlseq:objectivesGlobalToSystem="false" unless sharing objectives across courses is intended.',
          ),
        );
      }
      return {
        identifier,
        title: o.title || identifier,
        structure: o.structure,
        objectivesGlobalToSystem: o.objectivesGlobalToSystem ?? true,
        sharedDataGlobalToSystem: o.sharedDataGlobalToSystem ?? true,
        items,
        sequencing,
        position: o.position,
      };
    });

    if (organizations.length === 0) {
      this.report(
        'ORG_NONE',
        'The manifest has no <organization>, so there is nothing for a learner to launch.',
        {
          ...this.rootPosition,
          hint: 'Add an <organizations> element with one <organization> whose items reference the resources.',
        },
      );
    }
    let defaultOrganization: Organization | null = organizations[0] ?? null;
    if (this.defaultOrg !== null) {
      const named = organizations.find((o) => o.identifier === this.defaultOrg);
      if (named) defaultOrganization = named;
      else if (organizations.length > 0) {
        this.report(
          'ORG_DEFAULT_UNKNOWN',
          `organizations/@default names "${this.defaultOrg}", which is not an organization of this manifest; the first organization is used.`,
          {
            ...this.orgsPosition,
            hint: `Set default to the identifier of an organization${organizations[0]?.identifier.startsWith('__') ? '' : ` such as "${organizations[0]?.identifier}"`}.`,
          },
        );
      }
    }

    // Launchability and scormType of referenced resources.
    for (const r of referenced) {
      if (r.href === null) {
        this.report(
          'RESOURCE_HREF_MISSING',
          `The ${r.scormType === 'sco' ? 'SCO ' : ''}resource "${r.identifier}" is launched by an item but has no href, so it cannot be launched.`,
          this.at(r.position, 'Add href="..." naming the launch file.'),
        );
      }
      if (r.scormType === null) {
        this.report(
          'RESOURCE_SCORMTYPE_MISSING',
          `The launchable resource "${r.identifier}" has no adlcp:scormType; it is treated as an asset (no SCORM API tracking).`,
          this.at(
            r.position,
            'Add adlcp:scormType="sco" if the content calls the SCORM API, "asset" otherwise.',
          ),
        );
      }
    }
    for (const r of resources) {
      if (r.href === null && r.scormType === 'sco' && !referenced.has(r)) {
        // Never launched, so the package still works; but a SCO needs a launch file.
        this.report(
          'RESOURCE_HREF_MISSING',
          `The SCO resource "${r.identifier}" has no href (no item launches it).`,
          {
            ...this.at(r.position, 'Add href="..." naming the SCO\'s launch file, or make it an asset.'),
            severity: 'warning',
          },
        );
      }
    }
    if (defaultOrganization !== null && !this.hasLaunch(defaultOrganization.items)) {
      this.report(
        'LAUNCH_NONE',
        `No item of the organization "${defaultOrganization.identifier}" has a launchable resource.`,
        this.at(
          defaultOrganization.position,
          'Give at least one item an identifierref to a resource with an href.',
        ),
      );
    }

    // SCORM 1.2 mastery score consistency.
    if (family === '1.2') {
      for (const org of organizations) {
        const scoItems: Item[] = [];
        const walk = (items: readonly Item[]) => {
          for (const i of items) {
            if (i.resource?.scormType === 'sco') scoItems.push(i);
            walk(i.children);
          }
        };
        walk(org.items);
        const withScore = scoItems.filter((i) => i.masteryScore !== null);
        if (scoItems.length > 1 && withScore.length > 0 && withScore.length < scoItems.length) {
          const without = scoItems.filter((i) => i.masteryScore === null).map((i) => i.identifier);
          this.report(
            'MASTERYSCORE_PARTIAL',
            `In the organization "${org.identifier}", ${withScore.length} of ${scoItems.length} SCOs have adlcp:masteryscore; ${without.slice(0, 5).join(', ')}${without.length > 5 ? ', ...' : ''} have none and will never be marked passed/failed by score.`,
            this.at(org.position, 'Give every scored SCO a masteryscore, or none of them.'),
          );
        }
      }
    }

    const scormVersion = this.detectVersion(family);
    const collection: Record<string, SequencingDefinition> = {};
    for (const [id, seq] of this.collection) collection[id] = seq.def;

    return {
      identifier: this.identifier ?? '',
      version: this.version,
      base: this.base,
      scormVersion,
      metadata: this.metadata,
      defaultOrganizationId: this.defaultOrg,
      defaultOrganization,
      organizations,
      resourcesBase: this.resourcesBase,
      resources,
      sequencingCollection: collection,
      namespaces: [...this.namespaces],
    };
  }

  private hasLaunch(items: readonly Item[]): boolean {
    return items.some((i) => i.launchUrl !== null || this.hasLaunch(i.children));
  }

  private collectTargets(o: Objective, into: Set<string>): void {
    for (const m of o.mapInfo) into.add(m.targetObjectiveID);
    for (const m of o.adlMapInfo) into.add(m.targetObjectiveID);
  }

  private resolveSeq(
    seq: MSeq | null,
    owner: string,
    position: SourcePosition,
    globalObjectives: Set<string>,
  ): Sequencing {
    let referenced: SequencingDefinition | null = null;
    const idRef = seq?.def.idRef ?? null;
    if (idRef !== null) {
      const entry = this.collection.get(idRef);
      if (entry) referenced = entry.def;
      else {
        this.report(
          'SEQ_COLLECTION_UNKNOWN',
          `The sequencing of "${owner}" references IDRef="${idRef}", which is not in the <imsss:sequencingCollection>.`,
          this.at(seq?.position ?? position, 'Add the entry to the sequencingCollection or fix IDRef.'),
        );
      }
    }
    // Activities that state nothing share one (frozen) default sequencing.
    if (seq === null) return DEFAULT_SEQUENCING;
    const resolved = resolveSequencing(seq.def, referenced);
    const { primaryObjective, objectives } = resolved.objectives;
    const known: string[] = [];
    if (primaryObjective?.objectiveID) known.push(primaryObjective.objectiveID);
    for (const o of objectives) if (o.objectiveID) known.push(o.objectiveID);
    const ownAdl = seq?.def.adlObjectives !== undefined;
    const adlEntries = ownAdl ? seq!.adl : referenced ? (this.collection.get(idRef!)?.adl ?? []) : [];
    for (const entry of adlEntries) {
      if (!known.includes(entry.objectiveID)) {
        this.report(
          'SEQ_UNKNOWN_OBJECTIVE',
          `<adlseq:objective objectiveID="${entry.objectiveID}"> of "${owner}" names no objective of that activity.`,
          this.at(
            entry.position,
            'Use the objectiveID of an <imsss:primaryObjective> or <imsss:objective> of the same activity.',
          ),
        );
      }
    }
    if (primaryObjective !== null) this.collectTargets(primaryObjective, globalObjectives);
    for (const o of objectives) this.collectTargets(o, globalObjectives);
    const rules = resolved.sequencingRules;
    for (const list of [rules.preConditionRules, rules.exitConditionRules, rules.postConditionRules]) {
      for (const rule of list) {
        for (const c of rule.conditions) {
          if (c.referencedObjective !== null && !known.includes(c.referencedObjective)) {
            this.report(
              'SEQ_UNKNOWN_OBJECTIVE',
              `A sequencing rule of "${owner}" references the objective "${c.referencedObjective}", which "${owner}" does not declare.`,
              this.at(
                seq?.position ?? position,
                "Use the objectiveID of one of this activity's objectives, or omit referencedObjective for the primary objective.",
              ),
            );
          }
        }
      }
    }
    return resolved;
  }

  // --- version ---

  private checkMetadata(): void {
    const sv = this.metadata.schemaVersion;
    if (sv === null || sv === '') {
      this.report(
        'SCHEMAVERSION_MISSING',
        'The manifest has no <metadata><schemaversion>; the SCORM version was inferred from namespaces and features.',
        {
          ...this.rootPosition,
          hint: 'Add <metadata><schema>ADL SCORM</schema><schemaversion>...</schemaversion></metadata> ("1.2", "2004 3rd Edition" or "2004 4th Edition").',
        },
      );
    } else if (statedVersion(sv) === undefined) {
      this.report(
        'SCHEMAVERSION_INVALID',
        `The schemaversion "${sv}" is not a SCORM version; the version was inferred from namespaces and features.`,
        {
          ...(this.schemaVersionPosition ?? this.rootPosition),
          hint: 'Use "1.2", "CAM 1.3", "2004 3rd Edition" or "2004 4th Edition".',
        },
      );
    }
  }

  private namespaceHints(): '1.2' | '2004' | null {
    const ns = this.namespaces;
    let has2004 = false;
    let has12 = false;
    for (const uri of ns) {
      const fam = namespaceFamily(uri);
      if (uri === NAMESPACES.adlcp12 || uri === NAMESPACES.imscp12) has12 = true;
      else if (fam === 'adlseq' || fam === 'adlnav' || fam === 'imsss' || uri === NAMESPACES.adlcp)
        has2004 = true;
    }
    if (has2004 && !has12) return '2004';
    if (has12 && !has2004) return '1.2';
    if (has2004 && has12) return this.uses2004Elements ? '2004' : '1.2';
    return null;
  }

  private detectFamily(): '1.2' | '2004' {
    const stated = statedVersion(this.metadata.schemaVersion ?? '');
    const statedFamily = stated === undefined ? null : stated.family;
    const nsFamily = this.namespaceHints() ?? (this.uses2004Elements || this.feature4th ? '2004' : null);
    if (statedFamily !== null && nsFamily !== null && statedFamily !== nsFamily) {
      this.report(
        'SCHEMAVERSION_MISMATCH',
        `The schemaversion says SCORM ${statedFamily} but the manifest uses SCORM ${nsFamily} namespaces; it is treated as SCORM ${nsFamily}.`,
        {
          ...(this.schemaVersionPosition ?? this.rootPosition),
          hint: `Make the schemaversion match the namespaces the manifest uses.`,
        },
      );
      return nsFamily;
    }
    return statedFamily ?? nsFamily ?? '1.2';
  }

  private detectVersion(family: '1.2' | '2004'): ScormVersion {
    if (family === '1.2') return '1.2';
    const rank = { '2004-2nd': 2, '2004-3rd': 3, '2004-4th': 4 } as const;
    const featureEdition: keyof typeof rank = this.feature4th
      ? '2004-4th'
      : this.feature3rd
        ? '2004-3rd'
        : '2004-2nd';
    const stated = statedVersion(this.metadata.schemaVersion ?? '');
    const statedEdition = stated?.family === '2004' ? (stated.edition as keyof typeof rank | null) : null;
    if (statedEdition === null) return featureEdition;
    if (rank[featureEdition] > rank[statedEdition]) {
      const feature = this.feature4th ?? this.feature3rd;
      this.report(
        'SCHEMAVERSION_MISMATCH',
        `The schemaversion "${this.metadata.schemaVersion}" says ${editionName(statedEdition)}, but the manifest uses ${feature}, which is ${editionName(featureEdition)}; it is treated as ${editionName(featureEdition)}.`,
        {
          ...(this.featurePosition ?? this.schemaVersionPosition ?? this.rootPosition),
          hint: `Set <schemaversion>${featureEdition === '2004-4th' ? '2004 4th Edition' : '2004 3rd Edition'}</schemaversion>.`,
        },
      );
      return featureEdition;
    }
    return statedEdition;
  }
}

type AttributeGroup =
  | 'controlMode'
  | 'limitConditions'
  | 'rollupRules'
  | 'randomizationControls'
  | 'deliveryControls'
  | 'constrainedChoiceConsiderations'
  | 'rollupConsiderations';

const DEFAULT_SEQUENCING: Sequencing = deepFreeze(defaultSequencing());

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The empty list every item without such entries shares. */
const NONE: readonly never[] = Object.freeze([]);

/** The empty attribute group every new definition shares until something is stated in it. */
const UNSTATED = Object.freeze({}) as Record<string, never>;

/** A definition's attribute group, made its own (writable) on first use. */
function stated<G extends AttributeGroup>(def: MutableDef, group: G): MutableDef[G] {
  if (def[group] === UNSTATED) def[group] = {} as MutableDef[G];
  return def[group];
}

/** A relative path with no scheme, query, fragment, escape, backslash or dot segment. */
function isPlainPath(href: string): boolean {
  return (
    !/[:?#%\\]/.test(href) && !href.startsWith('/') && !href.includes('//') && !/(^|\/)\.\.?(\/|$)/.test(href)
  );
}

/** Where `<!DOCTYPE` starts in the prolog (before the root element), if anywhere. */
function findDoctype(xml: string): SourcePosition | null {
  const re = /<!DOCTYPE|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<[^!?]/g;
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    if (m[0] !== '<!DOCTYPE') {
      if (m[0].startsWith('<!--') || m[0].startsWith('<?')) continue;
      return null;
    }
    const before = xml.slice(0, m.index);
    const line = before.split('\n').length;
    return { line, column: m.index - before.lastIndexOf('\n') };
  }
  return null;
}

function editionName(v: ScormVersion): string {
  return v === '1.2' ? 'SCORM 1.2' : `SCORM 2004 ${v.slice(5)} Edition`;
}

/**
 * Reads a `<schemaversion>` value leniently (case, spacing, `_`); undefined when it names no SCORM
 * version. The edition is null when the value names only the family (`2004`).
 *
 * @see SCORM 2004 4th Ed CAM 4.1.1 (schemaversion), SCORM 1.2 CAM 2.3.2
 */
export function statedVersion(
  raw: string,
): { family: '1.2'; edition: null } | { family: '2004'; edition: ScormVersion | null } | undefined {
  const v = raw
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');
  if (v === '') return undefined;
  if (/^(scorm )?1\.2$/.test(v)) return { family: '1.2', edition: null };
  if (/^(cam )?1\.3(\.1)?$/.test(v) || /2nd/.test(v)) return { family: '2004', edition: '2004-2nd' };
  if (/2004/.test(v) && /3rd|third/.test(v)) return { family: '2004', edition: '2004-3rd' };
  if (/2004/.test(v) && /4th|fourth/.test(v)) return { family: '2004', edition: '2004-4th' };
  if (/^(scorm )?2004$/.test(v)) return { family: '2004', edition: null };
  return undefined;
}

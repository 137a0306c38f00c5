/**
 * Conformance against third-party data: the 189 manifests of the ADL SCORM 2004 4th Edition
 * conformance test suite, and the edge-case manifests of jcputney/elearning-module-parser.
 * The corpus lives outside the repository (SCORMFLOW_CONFORMANCE_DIR, default ../shared/conformance).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzePackage } from '../src/analyze-package.js';
import { memorySource } from '../src/file-source.js';
import type { ScormVersion } from '../src/model.js';
import { parseManifest } from '../src/parse-manifest.js';
import { launchableItems } from '../src/tree.js';
import { codes } from './helpers.js';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const CORPUS = process.env.SCORMFLOW_CONFORMANCE_DIR ?? resolve(REPO_ROOT, '../shared/conformance');
const REQUIRED = process.env.SCORMFLOW_CONFORMANCE_REQUIRED === '1';
const present = existsSync(join(CORPUS, 'scorm2004-cts')) && existsSync(join(CORPUS, 'manifests-edge'));

if (!present) {
  const message = `conformance corpus not found at ${CORPUS} (set SCORMFLOW_CONFORMANCE_DIR)`;
  if (REQUIRED) {
    describe('manifest conformance', () => {
      it('has its corpus', () => {
        throw new Error(`${message}; SCORMFLOW_CONFORMANCE_REQUIRED=1`);
      });
    });
  } else {
    console.warn(`skipping manifest conformance: ${message}`);
  }
}

describe.runIf(present)('ADL SCORM 2004 4th Edition CTS manifests', () => {
  const dir = join(CORPUS, 'scorm2004-cts/packages');
  const packages = present ? readdirSync(dir).filter((d) => existsSync(join(dir, d, 'imsmanifest.xml'))) : [];

  it('holds the 189 packages', () => {
    expect(packages).toHaveLength(189);
  });

  it('parses every manifest as 4th Edition with no error-level diagnostic', () => {
    const failures: string[] = [];
    let launchable = 0;
    for (const name of packages) {
      const { manifest, diagnostics } = parseManifest(readFileSync(join(dir, name, 'imsmanifest.xml')));
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (manifest === null || errors.length > 0 || manifest.scormVersion !== '2004-4th') {
        failures.push(`${name}: ${manifest?.scormVersion ?? 'no manifest'} ${JSON.stringify(errors)}`);
        continue;
      }
      if (launchableItems(manifest.defaultOrganization?.items ?? []).length > 0) launchable++;
    }
    console.log(
      `CTS manifests: ${packages.length - failures.length}/${packages.length} parsed clean as 2004-4th`,
    );
    expect(failures).toEqual([]);
    expect(launchable).toBe(packages.length);
  });

  it('applies xml:base to CTS resources and merges parameters', () => {
    const { manifest } = parseManifest(readFileSync(join(dir, 'LMSTestPackage_CM-03b', 'imsmanifest.xml')));
    const first = launchableItems(manifest!.defaultOrganization!.items)[0]!;
    expect(first.identifier).toBe('activity_2');
    expect(first.launchUrl).toBe('resources/SequencingTest.htm?tc=CM-03b&act=2');
    const jar = manifest!.resources.find((r) => r.identifier === 'JAR01')!;
    expect(jar.files[0]?.path).toBe('common/LMSTest.jar');
    // The organization's IDRef entry sets forwardOnly; its own controlMode sets choice and flow.
    expect(manifest!.defaultOrganization!.sequencing?.controlMode).toMatchObject({
      choice: false,
      flow: true,
      forwardOnly: true,
    });
  });
});

interface EdgeExpectation {
  /** Exact diagnostic codes from parseManifest (sorted). */
  readonly codes: readonly string[];
  readonly valid: boolean;
  readonly version?: ScormVersion;
  /** The launch URL of the first launchable item, where the folder is about it. */
  readonly firstLaunch?: string;
  /** Exact codes from analyzePackage over the folder as it is (only the manifest is there). */
  readonly packageCodes?: readonly string[];
}

/** What each folder's name describes; valid ones may carry warnings about real quirks. */
const EDGE: Readonly<Record<string, EdgeExpectation>> = {
  // Valid; uses the 4th Edition completionThreshold attributes while saying "3rd Edition",
  // and its resource has no adlcp:scormType.
  AdlAttributes_SCORM20043rdEdition: {
    codes: ['RESOURCE_SCORMTYPE_MISSING', 'SCHEMAVERSION_MISMATCH'],
    valid: true,
    version: '2004-4th',
  },
  ComplexNestedOrganization_SCORM12: {
    codes: [],
    valid: true,
    version: '1.2',
    firstLaunch: 'content/module1.html',
  },
  // No <metadata>; adlcp is bound to the non-existent adlcp_v1p2 namespace.
  ContentPackagingNoSchemaVersion_SCORM20042ndEdition: {
    codes: ['MANIFEST_NAMESPACE_UNKNOWN', 'SCHEMAVERSION_MISSING'],
    valid: true,
    version: '2004-2nd',
  },
  InvalidFileReferences_SCORM12: {
    codes: [],
    valid: true,
    version: '1.2',
    packageCodes: ['PKG_FILE_MISSING', 'PKG_FILE_MISSING', 'PKG_FILE_MISSING', 'PKG_LAUNCH_FILE_MISSING'],
  },
  InvalidMissingOrgIdentifier_SCORM20043rdEdition: {
    codes: ['ORG_DEFAULT_UNKNOWN', 'ORG_IDENTIFIER_MISSING', 'RESOURCE_SCORMTYPE_MISSING'],
    valid: false,
    version: '2004-3rd',
  },
  ItemWithNonExistentResourceId_SCORM12: {
    codes: ['ITEM_RESOURCE_MISSING'],
    valid: false,
    version: '1.2',
    firstLaunch: 'content/item2.html',
  },
  LaunchUrlFromNestedItem_SCORM12: {
    codes: [],
    valid: true,
    version: '1.2',
    firstLaunch: 'content/topic1.html',
  },
  MalformedXml_SCORM12: { codes: ['XML_MALFORMED'], valid: false },
  MinimalValid_SCORM20043rdEdition: {
    codes: ['RESOURCE_SCORMTYPE_MISSING'],
    valid: true,
    version: '2004-3rd',
    firstLaunch: 'index.html',
  },
  MissingLaunchUrl_SCORM12: { codes: ['LAUNCH_NONE', 'RESOURCE_HREF_MISSING'], valid: false, version: '1.2' },
  MissingRequiredFields_SCORM12: { codes: ['ORG_TITLE_MISSING'], valid: true, version: '1.2' },
  MultipleItemsWithIdentifierRef_SCORM12: {
    codes: [],
    valid: true,
    version: '1.2',
    firstLaunch: 'content/item1.html',
  },
  // Mastery scores on module1 and module4 only.
  PrerequisitesTest_SCORM12: { codes: ['MASTERYSCORE_PARTIAL'], valid: true, version: '1.2' },
};

describe.runIf(present)('edge-case manifests', () => {
  const dir = join(CORPUS, 'manifests-edge');
  const folders = present ? readdirSync(dir).filter((d) => existsSync(join(dir, d, 'imsmanifest.xml'))) : [];

  it('has an expectation for every folder', () => {
    expect([...folders].sort()).toEqual(Object.keys(EDGE).sort());
  });

  it.each(Object.entries(EDGE))('%s', async (folder, expected) => {
    const xml = readFileSync(join(dir, folder, 'imsmanifest.xml'));
    const { manifest, diagnostics } = parseManifest(xml);
    expect(codes(diagnostics)).toEqual(expected.codes);
    expect(diagnostics.every((d) => d.severity !== 'error')).toBe(expected.valid);
    expect(manifest?.scormVersion).toBe(expected.version);
    if (expected.firstLaunch !== undefined) {
      expect(launchableItems(manifest!.defaultOrganization!.items)[0]?.launchUrl).toBe(expected.firstLaunch);
    }
    if (expected.packageCodes !== undefined) {
      const files = Object.fromEntries(
        readdirSync(join(dir, folder)).map((f) => [f, readFileSync(join(dir, folder, f))]),
      );
      const analysis = await analyzePackage(memorySource(files));
      expect(codes(analysis.diagnostics)).toEqual(expected.packageCodes);
      expect(analysis.valid).toBe(false);
    }
  });
});

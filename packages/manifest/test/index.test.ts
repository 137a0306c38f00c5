import { describe, expect, it } from 'vitest';
import {
  analyzePackage,
  canonicalObjectiveId,
  DIAGNOSTIC_CODES,
  defaultSequencing,
  diagnostic,
  flattenItems,
  isValid,
  launchableItems,
  memorySource,
  mergeParameters,
  parseManifest,
  resolveAgainstBases,
  resolveSequencing,
  SEQUENCING_DEFAULTS,
} from '../src/index.js';

describe('public entry', () => {
  it('exports the parser, the analysis and the helpers', () => {
    const functions = {
      parseManifest,
      analyzePackage,
      flattenItems,
      launchableItems,
      resolveSequencing,
      defaultSequencing,
      canonicalObjectiveId,
      mergeParameters,
      resolveAgainstBases,
      memorySource,
      diagnostic,
      isValid,
    };
    for (const [name, fn] of Object.entries(functions)) expect(typeof fn, name).toBe('function');
    expect(SEQUENCING_DEFAULTS.controlMode.choice).toBe(true);
    expect(DIAGNOSTIC_CODES.ITEM_RESOURCE_MISSING).toBe('error');
  });

  it('parses through the entry point', async () => {
    const xml = `<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>T</title>
    <item identifier="i" identifierref="r"><title>I</title></item></organization></organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormType="sco" href="a.html"><file href="a.html"/></resource></resources>
</manifest>`;
    const analysis = await analyzePackage(memorySource({ 'imsmanifest.xml': xml, 'a.html': '' }));
    expect(analysis).toMatchObject({
      kind: 'scorm',
      version: '2004-4th',
      title: 'T',
      itemCount: 1,
      scoCount: 1,
      valid: true,
    });
    expect(analysis.diagnostics).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../src/diagnostics.js';
import { parseManifest } from '../src/parse-manifest.js';
import { codes } from './helpers.js';

const NS12 = `xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"`;
const NS2004 = `xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`;

/** A SCORM 1.2 manifest around the given organizations and resources. */
function m12(orgs: string, resources: string, extra = ''): string {
  return `<?xml version="1.0"?>
<manifest identifier="M" ${NS12}>
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O">${orgs}</organizations>
  <resources>${resources}</resources>${extra}
</manifest>`;
}

/** A SCORM 2004 manifest with the given schemaversion. */
function m2004(orgs: string, resources: string, version = '2004 4th Edition', extra = ''): string {
  return `<?xml version="1.0"?>
<manifest identifier="M" ${NS2004}>
  <metadata><schema>ADL SCORM</schema><schemaversion>${version}</schemaversion></metadata>
  <organizations default="O">${orgs}</organizations>
  <resources>${resources}</resources>${extra}
</manifest>`;
}

const SCO12 = `<resource identifier="R" type="webcontent" adlcp:scormtype="sco" href="a.html"><file href="a.html"/></resource>`;
const SCO = `<resource identifier="R" type="webcontent" adlcp:scormType="sco" href="a.html"><file href="a.html"/></resource>`;
const org = (items: string, attrs = '') =>
  `<organization identifier="O"${attrs}><title>Course</title>${items}</organization>`;
const it1 = (inner = '', attrs = '') =>
  `<item identifier="I" identifierref="R"${attrs}><title>One</title>${inner}</item>`;

interface Case {
  readonly name: string;
  readonly xml: string;
  readonly expected: readonly string[];
  /** A substring the first diagnostic's message contains (the identifier it names). */
  readonly names?: string;
  /** When the diagnostic is raised below its code's default severity. */
  readonly severity?: 'warning' | 'info';
}

const CASES: readonly Case[] = [
  { name: 'a clean 1.2 manifest', xml: m12(org(it1()), SCO12), expected: [] },
  { name: 'a clean 2004 manifest', xml: m2004(org(it1()), SCO), expected: [] },
  {
    name: 'undefined entity without DOCTYPE',
    xml: m12(org(it1().replace('One', 'One&nbsp;Two')), SCO12),
    expected: ['XML_ENTITY_UNDEFINED'],
    names: '&nbsp;',
  },
  {
    name: 'unknown ADL namespace',
    xml: m2004(org(it1()), SCO).replace('adlcp_v1p3', 'adlcp_v1p2'),
    expected: ['MANIFEST_NAMESPACE_UNKNOWN'],
    names: 'adlcp_v1p2',
  },
  {
    name: 'manifest without identifier',
    xml: m12(org(it1()), SCO12).replace('identifier="M" ', ''),
    expected: ['MANIFEST_IDENTIFIER_MISSING'],
  },
  {
    name: 'missing metadata',
    xml: m2004(org(it1()), SCO).replace(/<metadata>.*<\/metadata>/, ''),
    expected: ['SCHEMAVERSION_MISSING'],
  },
  {
    name: 'schemaversion nobody knows',
    xml: m12(org(it1()), SCO12).replace('<schemaversion>1.2', '<schemaversion>SCORM 9'),
    expected: ['SCHEMAVERSION_INVALID'],
    names: 'SCORM 9',
  },
  {
    name: '4th Edition attribute in a 3rd Edition manifest',
    xml: m2004(
      org(it1('<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.5"/>')),
      SCO,
      '2004 3rd Edition',
    ),
    expected: ['SCHEMAVERSION_MISMATCH'],
    names: 'completionThreshold',
  },
  {
    name: '1.2 schemaversion with 2004 namespaces',
    xml: m2004(org(it1()), SCO, '1.2'),
    expected: ['SCHEMAVERSION_MISMATCH'],
  },
  { name: 'no organizations', xml: m12('', SCO12), expected: ['ORG_NONE'] },
  {
    name: 'default names no organization',
    xml: m12(org(it1()), SCO12).replace('default="O"', 'default="NOPE"'),
    expected: ['ORG_DEFAULT_UNKNOWN'],
    names: 'NOPE',
  },
  {
    name: 'organization without identifier',
    xml: m12(org(it1()).replace(' identifier="O"', ''), SCO12).replace(' default="O"', ''),
    expected: ['ORG_IDENTIFIER_MISSING'],
  },
  {
    name: 'organization without title',
    xml: m12(org(it1()).replace('<title>Course</title>', ''), SCO12),
    expected: ['ORG_TITLE_MISSING'],
    names: '"O"',
  },
  {
    name: 'item without identifier',
    xml: m12(org(it1().replace('identifier="I" ', '')), SCO12),
    expected: ['ITEM_IDENTIFIER_MISSING'],
    names: 'One',
  },
  {
    name: 'item without title',
    xml: m12(org(it1().replace('<title>One</title>', '')), SCO12),
    expected: ['ITEM_TITLE_MISSING'],
    names: '"I"',
  },
  {
    name: 'duplicate identifiers',
    xml: m12(org(it1() + it1()), SCO12),
    expected: ['IDENTIFIER_DUPLICATE'],
    names: '"I"',
  },
  {
    name: 'item pointing at a missing resource',
    xml: m12(
      org(it1().replace('identifierref="R"', 'identifierref="GONE"') + it1().replace('"I"', '"J"')),
      SCO12,
    ),
    expected: ['ITEM_RESOURCE_MISSING'],
    names: 'GONE',
  },
  {
    name: 'item pointing at a resource in the wrong case',
    xml: m12(
      org(it1().replace('identifierref="R"', 'identifierref="r"') + it1().replace('"I"', '"J"')),
      SCO12,
    ),
    expected: ['ITEM_RESOURCE_MISSING'],
    names: 'there is "R"',
  },
  {
    name: 'resource without identifier',
    xml: m12(
      org(it1()),
      SCO12 + '<resource type="webcontent" adlcp:scormtype="asset"><file href="x.css"/></resource>',
    ),
    expected: ['RESOURCE_IDENTIFIER_MISSING'],
  },
  {
    name: 'SCO without href',
    xml: m12(
      org(it1().replace('"R"', '"R2"') + it1().replace('"I"', '"J"')),
      SCO12 + '<resource identifier="R2" type="webcontent" adlcp:scormtype="sco"/>',
    ),
    expected: ['RESOURCE_HREF_MISSING'],
    names: 'R2',
  },
  {
    name: 'SCO without href that no item launches',
    xml: m12(org(it1()), SCO12 + '<resource identifier="R2" type="webcontent" adlcp:scormtype="sco"/>'),
    expected: ['RESOURCE_HREF_MISSING'],
    names: 'R2',
    severity: 'warning',
  },
  {
    name: 'launchable resource without scormType',
    xml: m2004(org(it1()), SCO.replace(' adlcp:scormType="sco"', '')),
    expected: ['RESOURCE_SCORMTYPE_MISSING'],
    names: '"R"',
  },
  {
    name: 'dependency on an unknown resource',
    xml: m12(org(it1()), SCO12.replace('</resource>', '<dependency identifierref="LIB"/></resource>')),
    expected: ['RESOURCE_DEPENDENCY_UNKNOWN'],
    names: 'LIB',
  },
  {
    name: 'nothing launchable',
    xml: m12(org('<item identifier="A"><title>Aggregation only</title></item>'), SCO12),
    expected: ['ITEM_LEAF_NO_RESOURCE', 'LAUNCH_NONE'],
  },
  {
    name: 'SCORM 2004 cluster with a resource',
    xml: m2004(org(it1('<item identifier="C" identifierref="R"><title>Child</title></item>')), SCO),
    expected: ['ITEM_AGGREGATION_WITH_RESOURCE'],
    names: '"I"',
  },
  {
    name: 'SCORM 1.2 aggregation with a resource (allowed)',
    xml: m12(org(it1('<item identifier="C" identifierref="R"><title>Child</title></item>')), SCO12),
    expected: [],
  },
  {
    name: 'mastery score 0',
    xml: m12(org(it1('<adlcp:masteryscore>0</adlcp:masteryscore>')), SCO12),
    expected: ['MASTERYSCORE_ZERO'],
    names: '"I"',
  },
  {
    name: 'mastery score out of range',
    xml: m12(org(it1('<adlcp:masteryscore>120</adlcp:masteryscore>')), SCO12),
    expected: ['VALUE_INVALID'],
    names: 'masteryscore',
  },
  {
    name: 'unknown hideLMSUI value',
    xml: m2004(
      org(
        it1(
          '<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>exit</adlnav:hideLMSUI><adlnav:hideLMSUI>close</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>',
        ),
      ),
      SCO,
    ),
    expected: ['VALUE_INVALID'],
    names: 'close',
  },
  {
    name: 'invalid sequencing values',
    xml: m2004(
      org(
        it1(
          '<imsss:sequencing><imsss:controlMode choice="yes"/><imsss:limitConditions attemptLimit="-1"/><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="sunny"/></imsss:ruleConditions><imsss:ruleAction action="skip"/></imsss:preConditionRule></imsss:sequencingRules></imsss:sequencing>',
        ),
      ),
      SCO,
    ),
    expected: ['VALUE_INVALID', 'VALUE_INVALID', 'VALUE_INVALID', 'VALUE_INVALID'],
    names: 'choice',
  },
  {
    name: 'global objectives with objectivesGlobalToSystem left at its default',
    xml: m2004(
      org(
        it1(
          '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p"><imsss:mapInfo targetObjectiveID="g1"/></imsss:primaryObjective></imsss:objectives></imsss:sequencing>',
        ),
      ),
      SCO,
    ),
    expected: ['OBJECTIVES_GLOBAL_DEFAULT'],
    names: 'g1',
  },
  {
    name: 'global objectives with objectivesGlobalToSystem set',
    xml: m2004(
      org(
        it1(
          '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p"><imsss:mapInfo targetObjectiveID="g1"/></imsss:primaryObjective></imsss:objectives></imsss:sequencing>',
        ),
        ' adlseq:objectivesGlobalToSystem="false"',
      ),
      SCO,
    ),
    expected: [],
  },
  {
    name: 'rule referencing an unknown objective',
    xml: m2004(
      org(
        it1(
          '<imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective="ghost" condition="satisfied"/></imsss:ruleConditions><imsss:ruleAction action="skip"/></imsss:preConditionRule></imsss:sequencingRules></imsss:sequencing>',
        ),
      ),
      SCO,
    ),
    expected: ['SEQ_UNKNOWN_OBJECTIVE'],
    names: 'ghost',
  },
  {
    name: 'adlseq objective naming no objective',
    xml: m2004(
      org(
        it1(
          '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p"/></imsss:objectives><adlseq:objectives><adlseq:objective objectiveID="q"><adlseq:mapInfo targetObjectiveID="g"/></adlseq:objective></adlseq:objectives></imsss:sequencing>',
        ),
        ' adlseq:objectivesGlobalToSystem="false"',
      ),
      SCO,
    ),
    expected: ['SEQ_UNKNOWN_OBJECTIVE'],
    names: '"q"',
  },
  {
    name: 'prerequisites naming an unknown item',
    xml: m12(
      org(it1('<adlcp:prerequisites type="aicc_script">I &amp; NOWHERE</adlcp:prerequisites>')),
      SCO12,
    ),
    expected: ['SEQ_UNKNOWN_ACTIVITY'],
    names: 'NOWHERE',
  },
  {
    name: 'IDRef to an unknown collection entry',
    xml: m2004(org(it1('<imsss:sequencing IDRef="nowhere"/>')), SCO),
    expected: ['SEQ_COLLECTION_UNKNOWN'],
    names: 'nowhere',
  },
];

describe('manifest diagnostics', () => {
  it.each(CASES)('$name', ({ xml, expected, names, severity }) => {
    const r = parseManifest(xml);
    expect(r.manifest).not.toBeNull();
    expect(codes(r.diagnostics)).toEqual([...expected].sort());
    for (const d of r.diagnostics) {
      expect(d.severity).toBe(severity ?? DIAGNOSTIC_CODES[d.code]);
      expect(d.file).toBe('imsmanifest.xml');
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
      expect(d.message.length).toBeGreaterThan(10);
      expect(d.hint?.length).toBeGreaterThan(5);
    }
    if (names !== undefined) expect(r.diagnostics[0]?.message).toContain(names);
  });

  it('places element diagnostics at the element', () => {
    const xml = m12(org(`\n<item identifier="I" identifierref="GONE"><title>x</title></item>`), SCO12);
    const d = parseManifest(xml).diagnostics.find((x) => x.code === 'ITEM_RESOURCE_MISSING');
    expect(d).toMatchObject({ line: 5, column: 1 });
  });

  it('names the file it was given', () => {
    const r = parseManifest(m12('', SCO12), { fileName: 'course/imsmanifest.xml' });
    expect(r.diagnostics[0]?.file).toBe('course/imsmanifest.xml');
  });
});

describe('version detection', () => {
  const v = (xml: string) => parseManifest(xml).manifest?.scormVersion;
  it.each([
    ['1.2', m12(org(it1()), SCO12)],
    ['2004-2nd', m2004(org(it1()), SCO, 'CAM 1.3')],
    ['2004-3rd', m2004(org(it1()), SCO, '2004 3rd Edition')],
    ['2004-4th', m2004(org(it1()), SCO, '2004 4th Edition')],
    ['2004-4th', m2004(org(it1()), SCO, '  2004   4th   edition ')],
    ['1.2', m12(org(it1()), SCO12).replace('<schemaversion>1.2', '<schemaversion>SCORM_1.2')],
  ])('%s from the schemaversion', (expected, xml) => {
    expect(v(xml)).toBe(expected);
  });

  it('falls back to namespaces and features when the schemaversion is absent', () => {
    const strip = (xml: string) => xml.replace(/<metadata>.*<\/metadata>/, '');
    expect(v(strip(m12(org(it1()), SCO12)))).toBe('1.2');
    expect(v(strip(m2004(org(it1()), SCO)))).toBe('2004-2nd');
    const third = m2004(
      org(
        it1(
          '<imsss:sequencing><adlseq:rollupConsiderations requiredForSatisfied="ifAttempted"/></imsss:sequencing>',
        ),
      ),
      SCO,
    );
    expect(v(strip(third))).toBe('2004-3rd');
    const fourth = m2004(org(it1('<adlcp:data><adlcp:map targetID="t"/></adlcp:data>')), SCO);
    expect(v(strip(fourth))).toBe('2004-4th');
  });

  it('treats a 1.2 package in the IMS CP 1.1.4 namespace as 1.2', () => {
    const xml = m12(org(it1()), SCO12).replace(
      'http://www.imsproject.org/xsd/imscp_rootv1p1p2',
      'http://www.imsglobal.org/xsd/imscp_v1p1',
    );
    const r = parseManifest(xml);
    expect(r.manifest?.scormVersion).toBe('1.2');
    expect(r.diagnostics).toEqual([]);
  });
});

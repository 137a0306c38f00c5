/**
 * The namespaces of SCORM content packages.
 *
 * @see SCORM 2004 4th Ed CAM 3.4.1 (Manifest XML binding), SCORM 1.2 CAM 2.3.6
 */
export const NAMESPACES = {
  /** IMS Content Packaging 1.1.2, SCORM 1.2. */
  imscp12: 'http://www.imsproject.org/xsd/imscp_rootv1p1p2',
  /** IMS Content Packaging 1.1.4, SCORM 2004 (also used by many SCORM 1.2 packages). */
  imscp: 'http://www.imsglobal.org/xsd/imscp_v1p1',
  adlcp12: 'http://www.adlnet.org/xsd/adlcp_rootv1p2',
  adlcp: 'http://www.adlnet.org/xsd/adlcp_v1p3',
  adlseq: 'http://www.adlnet.org/xsd/adlseq_v1p3',
  adlnav: 'http://www.adlnet.org/xsd/adlnav_v1p3',
  imsss: 'http://www.imsglobal.org/xsd/imsss',
  lom: 'http://ltsc.ieee.org/xsd/LOM',
  imsmd12: 'http://www.imsglobal.org/xsd/imsmd_rootv1p2p1',
  xml: 'http://www.w3.org/XML/1998/namespace',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

/** The family an element's namespace belongs to; `none` for no namespace, `other` for foreign ones. */
export type NamespaceFamily = 'cp' | 'adlcp' | 'adlseq' | 'adlnav' | 'imsss' | 'none' | 'other';

const FAMILY: Record<string, NamespaceFamily> = {
  [NAMESPACES.imscp12]: 'cp',
  [NAMESPACES.imscp]: 'cp',
  [NAMESPACES.adlcp12]: 'adlcp',
  [NAMESPACES.adlcp]: 'adlcp',
  [NAMESPACES.adlseq]: 'adlseq',
  [NAMESPACES.adlnav]: 'adlnav',
  [NAMESPACES.imsss]: 'imsss',
  '': 'none',
};

/**
 * True for URIs that are one of the namespaces above.
 *
 * @see SCORM 2004 4th Ed CAM 3.4.1 (namespaces of the manifest binding)
 */
export function isKnownNamespace(uri: string): boolean {
  return FAMILY[uri] !== undefined || Object.values(NAMESPACES).includes(uri as never);
}

/**
 * The family of a namespace URI. Unknown ADL / IMS variants (`adlcp_v1p2`, `imscp_v1p1p3`,
 * `imsss_v1p0`) are mapped by their recognisable stem so that such packages keep working.
 *
 * @see SCORM 2004 4th Ed CAM 3.4.1, SCORM 1.2 CAM 2.3.6
 */
export function namespaceFamily(uri: string | undefined): NamespaceFamily {
  if (uri === undefined) return 'none';
  const known = FAMILY[uri];
  if (known !== undefined) return known;
  const lower = uri.toLowerCase();
  if (lower.includes('adlnet.org/xsd/adlcp')) return 'adlcp';
  if (lower.includes('adlnet.org/xsd/adlseq')) return 'adlseq';
  if (lower.includes('adlnet.org/xsd/adlnav')) return 'adlnav';
  if (lower.includes('/xsd/imsss')) return 'imsss';
  if (lower.includes('/xsd/imscp')) return 'cp';
  return 'other';
}

import { stat } from 'node:fs/promises';
import { diagnostic } from '../diagnostics.js';
import { directorySource } from './directory-source.js';
import { type OpenPackageResult, openZip } from './open-zip.js';
import type { ZipLimits } from './zip-limits.js';

/**
 * Opens a package wherever it is on disk: a folder through {@link directorySource}, anything else
 * as a zip through {@link openZip}. Same limits and diagnostics either way.
 * @see https://www.imsglobal.org/content/packaging/cpv1p1p4/imscp_infov1p1p4.html (package interchange file)
 */
export async function openPackage(
  pathOrDir: string,
  limits?: Partial<ZipLimits>,
): Promise<OpenPackageResult> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(pathOrDir)).isDirectory();
  } catch (error) {
    return {
      ok: false,
      diagnostics: [diagnostic('ZIP_UNREADABLE', `Cannot open ${pathOrDir}: ${(error as Error).message}`)],
    };
  }
  return isDirectory ? directorySource(pathOrDir, limits) : openZip(pathOrDir, limits);
}

/**
 * The ~50 MB SCORM 1.2 package of the import benchmark (the same course the manifest package's
 * import benchmark measures), written as a zip.
 */
import { benchCourseFiles } from '@scormflow/bench-course';
import { writeZip } from '@scormflow/manifest/node';

/** Writes the package to `zipPath`; answers its file count and uncompressed size. */
export async function generateCoursePackage(zipPath: string): Promise<{ files: number; bytes: number }> {
  const files = benchCourseFiles();
  await writeZip(zipPath, files);
  return { files: files.length, bytes: files.reduce((n, f) => n + f.data.length, 0) };
}

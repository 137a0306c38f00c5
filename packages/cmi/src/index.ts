export const PACKAGE_NAME = '@scormflow/cmi';

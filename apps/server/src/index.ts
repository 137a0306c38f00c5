export const PACKAGE_NAME = '@scormflow/server';

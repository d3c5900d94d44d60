import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The package's root folder: the nearest folder with a package.json above this file. The same
 * answer whether this module runs from TypeScript sources (tests, the local stack) or from the
 * compiled package in a consumer's node_modules (`dist/lib/...`).
 */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** Where `npm run build` writes one asset folder per Lambda handler (`<name>/index.js`). */
export const HANDLER_ASSETS_DIRECTORY = path.join(PACKAGE_ROOT, 'dist', 'handlers');

/**
 * The prebuilt bundle of a handler of `lambda/handlers/`, as Lambda code. Nothing is bundled at
 * synth time: the folder is deployed as it is.
 */
export function handlerCode(name: string): lambda.Code {
  const directory = path.join(HANDLER_ASSETS_DIRECTORY, name);
  if (!fs.existsSync(path.join(directory, 'index.js'))) {
    throw new Error(`No prebuilt bundle of the Lambda handler '${name}' in ${directory}: run \`npm run build\``);
  }
  return lambda.Code.fromAsset(directory);
}

function findPackageRoot(start: string): string {
  for (let directory = start; ; directory = path.dirname(directory)) {
    if (fs.existsSync(path.join(directory, 'package.json'))) return directory;
    if (path.dirname(directory) === directory) throw new Error(`No package.json above ${start}`);
  }
}

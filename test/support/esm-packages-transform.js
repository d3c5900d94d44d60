// Jest runs the tests as CommonJS; a few dependencies ship only ES modules (hyparquet-writer,
// which writes the Parquet part files, and hyparquet, whose schema helpers it uses). esbuild
// (already the handlers' bundler) turns them into CommonJS as Jest loads them, as it does
// when it bundles them into the handlers.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      format: 'cjs',
      loader: 'js',
      target: 'node20',
      sourcemap: true,
      sourcefile: filename,
    });
    return { code, map };
  },
};

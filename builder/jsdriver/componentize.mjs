// wcomp's JavaScript toolchain: builds one component with componentize-js.
// wcomp installs this file beside its node_modules (ESM resolves packages
// from the script's own folder, never from NODE_PATH) and runs
//
//   node componentize.mjs ENTRY.js WIT WORLD OUT.wasm [FEATURE,...]
//
// with absolute paths. FEATUREs are componentize-js features to disable
// (e.g. http). The output is written to OUT.wasm.tmp, then renamed.
import { componentize } from '@bytecodealliance/componentize-js';
import { rename, writeFile } from 'node:fs/promises';

const [entry, wit, world, out, disable = ''] = process.argv.slice(2);
if (!out) {
  console.error('usage: node componentize.mjs ENTRY.js WIT WORLD OUT.wasm [FEATURE,...]');
  process.exit(2);
}
try {
  const { component } = await componentize({
    sourcePath: entry,
    witPath: wit,
    worldName: world,
    disableFeatures: disable ? disable.split(',') : [],
  });
  await writeFile(`${out}.tmp`, component);
  await rename(`${out}.tmp`, out);
} catch (err) {
  // componentize-js reports JS errors with their source positions in the
  // message; the stack below it is the toolchain's, not the user's.
  console.error(err?.message ?? String(err));
  process.exit(1);
}

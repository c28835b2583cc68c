// Runs in: Node (the `benchtop` command, before the CLI bundle). Compiling the CLI bundle's
// megabytes of code is a large share of every command's start-up; V8 can instead reuse the code it
// compiled last time from a cache file beside the bundle (`npm run build` makes one). V8 checks the
// cache against its own version and flags and the source's length only, so the cache's header holds
// the sha256 of the exact bundle it was made from and any other cache is ignored. A missing or
// refused cache is remade when the process ends, atomically, where the folder is writable (an
// installed, read-only copy simply compiles as before).
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const MAGIC = Buffer.from('benchtop-code-cache-1\n');
const DIGEST_BYTES = 32;

/** The V8 code cache in `cacheFile` if it was made from exactly `digest`'s bundle, else undefined. */
function readCache(cacheFile, digest) {
  let data;
  try {
    data = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const head = MAGIC.length + DIGEST_BYTES;
  if (data.length <= head || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  if (!data.subarray(MAGIC.length, head).equals(digest)) return undefined;
  return data.subarray(head);
}

function writeCache(cacheFile, digest, script) {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    // Made after the command ran, so it also holds the functions compiled on the way.
    fs.writeFileSync(tmp, Buffer.concat([MAGIC, digest, script.createCachedData()]));
    fs.renameSync(tmp, cacheFile);
  } catch {
    // A read-only install, or a full disk: the next start compiles, as without a cache.
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Runs the CommonJS file `file` as `require` would, with its compiled code cached in `file.cache`.
 * The file must not call `import()`: on Node 20 a vm.Script's `import()` needs an experimental
 * option and fails once its code comes from a cache (scripts/build-node.mjs bundles the CLI
 * with `import()` turned into require).
 */
function loadWithCodeCache(file) {
  const bytes = fs.readFileSync(file);
  const digest = crypto.createHash('sha256').update(bytes).digest();
  const cacheFile = `${file}.cache`;
  const cachedData = readCache(cacheFile, digest);
  const script = new vm.Script(Module.wrap(bytes.toString('utf8')), {
    filename: file,
    cachedData,
  });
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(cacheFile, digest, script));
  const mod = new Module(file, module);
  mod.filename = file;
  const wrapper = script.runInThisContext();
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}

module.exports = { loadWithCodeCache };

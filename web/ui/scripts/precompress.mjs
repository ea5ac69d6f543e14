// Writes x.gz (gzip level 9) and x.br (Brotli quality 11) next to every compressible file of
// dist/, for xiehui to send by content negotiation (web/static_files.cpp). Runs after
// `vite build` (npm run build). Node's own zlib only: nothing to install, nothing downloaded.
// Skipped: files under 1 KiB (a few hundred bytes cost no more than the headers) and files whose
// compressed form is not smaller.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const dist = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url))
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|ico|txt|map)$/
const MIN_BYTES = 1024

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* files(path)
    else if (entry.isFile()) yield path
  }
}

// A previous run's siblings would be served for files they no longer match.
for (const path of files(dist)) {
  if (/\.(gz|br)$/.test(path)) rmSync(path)
}

let count = 0
let raw = 0
let gzTotal = 0
let brTotal = 0
for (const path of files(dist)) {
  if (!COMPRESSIBLE.test(path) || statSync(path).size < MIN_BYTES) continue
  const data = readFileSync(path)
  const gz = gzipSync(data, { level: 9 })
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  })
  // Written after the file itself: the server ignores a sibling older than its file.
  if (gz.length < data.length) writeFileSync(`${path}.gz`, gz)
  if (br.length < data.length) writeFileSync(`${path}.br`, br)
  count += 1
  raw += data.length
  gzTotal += Math.min(gz.length, data.length)
  brTotal += Math.min(br.length, data.length)
}

const kib = (n) => `${(n / 1024).toFixed(0)} KiB`
console.log(
  `precompressed ${count} files in ${relative(process.cwd(), dist) || '.'}: ` +
    `${kib(raw)} raw, ${kib(gzTotal)} gzip, ${kib(brTotal)} brotli`,
)

import { readdirSync, readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { NotFoundError } from '../../herder/errors.ts'

/**
 * The web console's folder: `ui/` at the repository root, which `npm run build` copies to `dist/ui/`; from
 * `src/rest/routes/` and from `dist/src/rest/routes/` alike it is three folders up.
 */
export const UI_FOLDER = fileURLToPath(new URL('../../../ui/', import.meta.url))

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
}

interface UiFile {
  readonly mediaType: string
  readonly bytes: Buffer
}

/** The folder's files, read once: only these names are served, so no request path ever reaches the file system. */
const readUiFiles = (folder: string): Map<string, UiFile> => {
  const files = new Map<string, UiFile>()
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const mediaType = MEDIA_TYPES[extname(entry.name)]
    if (entry.isFile() && mediaType !== undefined) files.set(entry.name, { mediaType, bytes: readFileSync(`${folder}${entry.name}`) })
  }
  return files
}

/**
 * `GET /ui`: the web console, a static page that calls the same REST API users call, with relative URLs, so it
 * works behind whatever serves or guards the API.
 */
export const uiRoutes = (folder: string = UI_FOLDER) => async (app: FastifyInstance) => {
  const files = readUiFiles(folder)
  const index = files.get('index.html')
  if (index === undefined) throw new Error(`the web console has no index.html in ${folder}`)

  app.get('/ui', async (request, reply) => {
    // The page's relative URLs (`app.js`, `../connectors`) resolve against /ui/, not /ui.
    const path = request.url.split('?')[0] ?? ''
    if (!path.endsWith('/')) return reply.redirect('ui/', 302)
    return reply.type(index.mediaType).header('cache-control', 'no-cache').send(index.bytes)
  })

  app.get<{ Params: { file: string } }>('/ui/:file', async (request, reply) => {
    const file = files.get(request.params.file)
    if (file === undefined) throw new NotFoundError(`No file ${request.params.file} in the web console`)
    return reply.type(file.mediaType).header('cache-control', 'no-cache').send(file.bytes)
  })
}

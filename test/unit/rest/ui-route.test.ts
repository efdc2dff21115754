import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { UI_FOLDER } from '../../../src/rest/routes/ui.ts'
import { restAppWithFakeHerder } from './fake-herder.ts'

const { app } = restAppWithFakeHerder()
after(() => app.close())

describe('GET /ui serves the web console from ui/', () => {
  it('redirects /ui to /ui/, relative to where the browser is, so the page finds app.js behind any path prefix', async () => {
    const response = await app.inject({ method: 'GET', url: '/ui' })
    assert.equal(response.statusCode, 302)
    assert.equal(response.headers.location, 'ui/')
  })

  it('answers /ui/ with index.html, which loads its files by relative URLs only', async () => {
    const response = await app.inject({ method: 'GET', url: '/ui/' })
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /^text\/html/)
    assert.equal(response.body, readFileSync(join(UI_FOLDER, 'index.html'), 'utf8'))
    for (const [, reference] of response.body.matchAll(/(?:src|href)="([^"#]+)"/g)) assert.doesNotMatch(reference!, /^(\/|[a-z]+:)/, reference)
  })

  it('serves every file of ui/ with its media type', async () => {
    const types: Record<string, RegExp> = { '.js': /^text\/javascript/, '.css': /^text\/css/, '.html': /^text\/html/ }
    const files = readdirSync(UI_FOLDER)
    assert.ok(files.includes('app.js'))
    for (const file of files) {
      const response = await app.inject({ method: 'GET', url: `/ui/${file}` })
      assert.equal(response.statusCode, 200, file)
      assert.match(String(response.headers['content-type']), types[file.slice(file.lastIndexOf('.'))]!, file)
      assert.equal(response.body, readFileSync(join(UI_FOLDER, file), 'utf8'))
    }
  })

  it('calls the API only by relative URLs, with the browser\'s credentials, and loads nothing from elsewhere', () => {
    for (const file of readdirSync(UI_FOLDER).filter((name) => name.endsWith('.js'))) {
      const source = readFileSync(join(UI_FOLDER, file), 'utf8')
      assert.doesNotMatch(source, /https?:\/\/(?!www\.w3\.org\/2000\/svg)/, `${file} names an absolute URL`)
      for (const [call] of source.matchAll(/fetch\([^)]*\)/g)) assert.match(call, /^fetch\(url\(/, `${file}: ${call}`)
      assert.ok(!/credentials: '(omit|include)'/.test(source), file)
    }
  })

  it('is a 404 for any other name, a path out of the folder included', async () => {
    for (const url of ['/ui/nothing.js', '/ui/..%2Fpackage.json', '/ui/%2E%2E%2Fpackage.json']) {
      const response = await app.inject({ method: 'GET', url })
      assert.equal(response.statusCode, 404, url)
      assert.deepEqual(Object.keys(JSON.parse(response.body) as object).sort(), ['error_code', 'message'])
    }
  })
})

/**
 * The paths the API serves and the methods each is served with, learnt from fastify's `onRoute` hook: a known path
 * asked with another method is Jersey's 405, a path no route matches its 404.
 */
export class RouteTable {
  /** route URL as declared (`/connectors/:name`) → its pattern and methods */
  private readonly routes = new Map<string, { readonly pattern: RegExp; readonly methods: Set<string> }>()

  add(url: string, methods: string | readonly string[]): void {
    const route = this.routes.get(url) ?? { pattern: patternOf(url), methods: new Set<string>() }
    for (const method of typeof methods === 'string' ? [methods] : methods) route.methods.add(method.toUpperCase())
    this.routes.set(url, route)
  }

  /** The methods a request URL's path is served with, sorted; empty when no route matches it. */
  methodsFor(requestUrl: string): string[] {
    const path = decodedPath(requestUrl)
    const methods = new Set<string>()
    for (const { pattern, methods: served } of this.routes.values()) {
      if (pattern.test(path)) for (const method of served) methods.add(method)
    }
    return [...methods].sort()
  }
}

/** `/connectors/:name/config` → /^\/connectors\/[^/]+\/config\/?$/; trailing slashes are ignored, as the router does. */
const patternOf = (url: string): RegExp => {
  const segments = url.split('/').map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
  const body = segments.join('/').replace(/\/$/, '')
  return new RegExp(`^${body}/?$`)
}

/** The path as the router matches it: up to the first `?`, `;` or `#`, each segment percent-decoded where it can be. */
const decodedPath = (requestUrl: string): string => {
  const end = requestUrl.search(/[?;#]/)
  const path = end < 0 ? requestUrl : requestUrl.slice(0, end)
  return path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment).replaceAll('/', '%2F')
      } catch {
        return segment
      }
    })
    .join('/')
}

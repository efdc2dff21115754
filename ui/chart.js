/* global document */
// A rate chart as inline SVG: records/s in and out over the history window, newest on the right.

const SVG = 'http://www.w3.org/2000/svg'
const WIDTH = 600
const HEIGHT = 160
const PAD = { left: 48, right: 8, top: 8, bottom: 20 }

const svg = (tag, attributes, text) => {
  const element = document.createElementNS(SVG, tag)
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value))
  if (text !== undefined) element.textContent = text
  return element
}

export const formatRate = (value) => (value >= 1000 ? `${(value / 1000).toFixed(1)}k` : value.toFixed(value < 10 ? 1 : 0))

/** The chart of `points` ([{ atMs, in, out }]) over the `windowMs` that ends at `nowMs`. */
export const rateChart = (points, windowMs, nowMs) => {
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'rate-chart', role: 'img', 'aria-label': 'records per second in and out' })
  const max = Math.max(1, ...points.flatMap((point) => [point.in, point.out]))
  const x = (atMs) => PAD.left + ((atMs - (nowMs - windowMs)) / windowMs) * (WIDTH - PAD.left - PAD.right)
  const y = (value) => HEIGHT - PAD.bottom - (value / max) * (HEIGHT - PAD.top - PAD.bottom)
  root.append(
    svg('line', { x1: PAD.left, y1: y(0), x2: WIDTH - PAD.right, y2: y(0), class: 'axis' }),
    svg('line', { x1: PAD.left, y1: y(max), x2: WIDTH - PAD.right, y2: y(max), class: 'grid' }),
    svg('text', { x: PAD.left - 4, y: y(max) + 4, 'text-anchor': 'end', class: 'label' }, formatRate(max)),
    svg('text', { x: PAD.left - 4, y: y(0), 'text-anchor': 'end', class: 'label' }, '0'),
    svg('text', { x: PAD.left, y: HEIGHT - 4, class: 'label' }, `-${Math.round(windowMs / 60_000)} min`),
    svg('text', { x: WIDTH - PAD.right, y: HEIGHT - 4, 'text-anchor': 'end', class: 'label' }, 'now'),
  )
  for (const direction of ['in', 'out']) {
    const coordinates = points.map((point) => `${x(point.atMs).toFixed(1)},${y(point[direction]).toFixed(1)}`).join(' ')
    if (points.length > 0) root.append(svg('polyline', { points: coordinates, class: `line-${direction}`, fill: 'none' }))
  }
  return root
}


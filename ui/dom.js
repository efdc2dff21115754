/* global document */
// The one way the console builds markup: elements and text nodes, never HTML strings, so that a connector name or a
// stack trace is always shown as text.

/**
 * h('td', { class: 'rate', dataset: { key: 'x' } }, 'text', childElement): an element with attributes and children.
 * An attribute whose value is false, null or undefined is left out; `on` maps event names to listeners.
 */
export const h = (tag, attributes = {}, ...children) => {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue
    if (name === 'dataset') Object.assign(element.dataset, value)
    else if (name === 'on') for (const [event, listener] of Object.entries(value)) element.addEventListener(event, listener)
    else element.setAttribute(name, value === true ? '' : String(value))
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false))
  return element
}

/** Replaces an element's children; does nothing when the text would not change, so that a selection survives a refresh. */
export const setText = (element, text) => {
  if (element.textContent !== text) element.textContent = text
}

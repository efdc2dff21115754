/* global document */
// The create/edit form: a connector config as JSON, checked by the worker's own /config/validate, each error shown
// in the row of the key it names.
import { api } from './api.js'
import { h } from './dom.js'

const $ = (selector) => document.querySelector(selector)

/** Kafka Connect's wording for a key that must be set. */
const missing = (key) => `Missing required configuration "${key}" which has no default value.`

/** The textarea's JSON as a config map, or a problem to show: a map of string values, as the REST API takes it. */
const readConfig = (text) => {
  let config
  try {
    config = JSON.parse(text)
  } catch (error) {
    return { problem: `The config is not valid JSON: ${error.message}` }
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return { problem: 'The config must be a JSON object of keys and values' }
  return { config }
}

/** One row per key: the config's keys in their order, then the keys only validation names (a missing required key). */
const renderErrors = (config, errorsByKey, hiddenKeys = new Set()) => {
  const body = $('#validation tbody')
  const keys = [...new Set([...Object.keys(config), ...errorsByKey.keys()])]
  body.replaceChildren(
    ...keys.map((key) => {
      const errors = errorsByKey.get(key) ?? []
      // A PASSWORD key's value is not repeated on the page, as Kafka Connect shows it as [hidden].
      const value = !Object.hasOwn(config, key) ? '' : hiddenKeys.has(key) ? '[hidden]' : String(config[key])
      return h(
        'tr',
        { class: errors.length > 0 ? 'invalid' : null, dataset: { key } },
        h('th', {}, key),
        h('td', { class: 'value' }, value),
        h('td', { class: 'key-error' }, [...new Set(errors)].join(' ')),
      )
    }),
  )
  $('#validation').hidden = keys.length === 0
  const count = [...errorsByKey.values()].reduce((sum, errors) => sum + errors.length, 0)
  $('#form-summary').textContent = count === 0 ? 'No errors.' : `${count} error${count === 1 ? '' : 's'}: see the keys below.`
  return count
}

/**
 * Validates the textarea's config with the worker; shows each error next to its key; resolves to the config when it
 * has none, or null.
 */
const validate = async (showMessage) => {
  const { config, problem } = readConfig($('#config-json').value)
  if (problem !== undefined) {
    $('#validation').hidden = true
    $('#form-summary').textContent = problem
    return null
  }
  const errorsByKey = new Map()
  const connectorClass = config['connector.class']
  if (typeof config.name !== 'string' || config.name.trim() === '') errorsByKey.set('name', [missing('name')])
  if (typeof connectorClass !== 'string' || connectorClass === '') {
    errorsByKey.set('connector.class', [missing('connector.class')])
    renderErrors(config, errorsByKey)
    return null
  }
  let result
  try {
    result = await api.validate(connectorClass, config)
  } catch (error) {
    // A 400 (a value that is no string, a class no plugin has) says what is wrong with the whole request.
    showMessage(error.message, true)
    $('#form-summary').textContent = error.message
    return null
  }
  const hiddenKeys = new Set()
  for (const { definition, value } of result.configs) {
    if (definition?.type === 'PASSWORD' || value.value === '[hidden]') hiddenKeys.add(value.name)
    if (value.errors.length > 0) errorsByKey.set(value.name, [...(errorsByKey.get(value.name) ?? []), ...value.errors])
  }
  return renderErrors(config, errorsByKey, hiddenKeys) === 0 ? config : null
}

/** A config to start from: the plugin's class and the keys every connector has. */
const template = (connectorClass) => ({ name: '', 'connector.class': connectorClass, 'tasks.max': '1' })

/** Wires the form in index.html; returns `edit(config)`, which loads a connector's config into it. */
export const connectorForm = ({ showMessage, onSaved }) => {
  const textarea = $('#config-json')
  const select = $('#plugin-template')
  api.plugins().then(
    (plugins) => select.append(...plugins.map((plugin) => h('option', { value: plugin.class }, `${plugin.class} (${plugin.type})`))),
    (error) => showMessage(`Could not list the plugins: ${error.message}`, true),
  )
  select.addEventListener('change', () => {
    if (select.value !== '') textarea.value = JSON.stringify(template(select.value), null, 2)
  })
  $('#validate-config').addEventListener('click', () => void validate(showMessage))
  $('#save-config').addEventListener('click', async () => {
    const config = await validate(showMessage)
    if (config === null) return
    try {
      await api.putConfig(config.name, config)
      showMessage(`Saved connector ${config.name}`)
      onSaved(config.name)
    } catch (error) {
      showMessage(`Could not save ${config.name}: ${error.message}`, true)
    }
  })
  return {
    edit: (config) => {
      textarea.value = JSON.stringify(config, null, 2)
      $('#validation').hidden = true
      $('#form-summary').textContent = `Editing ${config.name}`
      $('#editor').scrollIntoView({ behavior: 'smooth' })
    },
  }
}

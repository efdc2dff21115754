import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConnectorClassError } from '../../src/config/validate.ts'
import { WorkerConfigError } from '../../src/config/worker-config.ts'
import { AlreadyExistsError, BadRequestError, NotFoundError } from '../../src/herder/errors.ts'
import { ConfigError, ConnectError, DataError, RetriableError } from '../../src/plugin/errors.ts'
import { HerderTimeoutError, toErrorResponse } from '../../src/rest/errors.ts'

describe('the error family', () => {
  it('gives every kind a stable code, keeps its cause, and belongs to ConnectError', () => {
    const cause = new Error('socket hang up')
    const kinds: [ConnectError, string][] = [
      [new ConnectError('x', { cause }), 'CONNECT_ERROR'],
      [new RetriableError('x', { cause }), 'RETRIABLE'],
      [new ConfigError('mqtt.qos', '3', 'must be 0, 1 or 2'), 'CONFIG_INVALID'],
      [new DataError('x', { cause }), 'DATA_INVALID'],
      [new NotFoundError('x'), 'NOT_FOUND'],
      [new AlreadyExistsError('x'), 'ALREADY_EXISTS'],
      [new BadRequestError('x'), 'BAD_REQUEST'],
      [new ConnectorClassError('x'), 'CONNECTOR_CLASS_UNKNOWN'],
      [new HerderTimeoutError(90_000), 'REQUEST_TIMEOUT'],
      [new WorkerConfigError([{ key: 'rest.port', message: 'must be a whole number' }]), 'WORKER_CONFIG_INVALID'],
    ]
    for (const [error, code] of kinds) {
      assert.ok(error instanceof ConnectError, error.name)
      assert.equal(error.code, code, error.name)
    }
    assert.equal(kinds[0]![0].cause, cause)
    assert.equal(new RetriableError('x').retriable, true)
  })

  it('maps codes to Kafka Connect statuses in one table, and anything else to a 500 that says what happened', () => {
    assert.deepEqual(toErrorResponse(new NotFoundError('Connector x not found')), { error_code: 404, message: 'Connector x not found' })
    assert.equal(toErrorResponse(new AlreadyExistsError('x')).error_code, 409)
    assert.equal(toErrorResponse(new BadRequestError('x')).error_code, 400)
    assert.equal(toErrorResponse(new ConnectorClassError('x')).error_code, 400)
    assert.deepEqual(toErrorResponse(new HerderTimeoutError(90_000)), { error_code: 500, message: 'Request timed out' })
    assert.deepEqual(toErrorResponse(new Error('boom')), { error_code: 500, message: 'boom' })
  })
})

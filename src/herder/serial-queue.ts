/** Runs async actions one at a time, in call order: the herder's changes to the cluster never interleave. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(action: () => Promise<T>): Promise<T> {
    const result = this.tail.then(action, action)
    this.tail = result.catch(() => {})
    return result
  }
}

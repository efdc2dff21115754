/** A failure to set up local infrastructure that comes with what the user can do about it. */
export class SetupError extends Error {
  override readonly name = 'SetupError'

  constructor(
    message: string,
    /** One or two sentences: the command to run, the variable to set. */
    readonly hint: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

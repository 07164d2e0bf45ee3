/** The admin API's one error type (README "Admin API"), rendered as `{error, message, …}` by routes/admin.ts. */
export class AdminError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 409,
    readonly error: string,
    message: string,
    /** More members of the body (`pointer`, `resources`, `changes`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AdminError';
  }

  toJSON(): Record<string, unknown> {
    return { error: this.error, message: this.message, ...this.extra };
  }
}

// The errors a store throws to its callers.

/** A store-level failure: the folder or index cannot be used, or an edit cannot be made. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/** The key or the project named does not exist. */
export class NotFoundError extends StoreError {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

// What the server supports right now. ServiceProviderConfig is generated from this, so discovery
// cannot drift from behaviour: flip a flag only in the change that makes the feature work.
export const capabilities = {
  patch: true,
  bulk: true,
  filter: true,
  sort: true,
  etag: true,
  changePassword: true,
  cursorPagination: true,
};

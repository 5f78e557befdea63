// The store behind oidc-provider's Provider.ctx (it runs each of its requests inside it), which the
// package does not type: a test runs an adapter's lookups as one provider request.
declare module 'oidc-provider/lib/helpers/als.js' {
  const requestContext: import('node:async_hooks').AsyncLocalStorage<object>;
  export default requestContext;
}

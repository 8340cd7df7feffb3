// Stubs of the providers' HTTP APIs, on 127.0.0.1, whose every response validates against
// ../shared/specs/ (see stubs.test.ts). Point Dropdeck at them with DROPDECK_DO_API=<do.url>
// and DROPDECK_CF_API=<cf.url>.
export { startDigitalOceanStub, DO_TEST_TOKEN, paginate, type DigitalOceanStub, type DigitalOceanStubOptions } from './digitalocean-stub'
export { startCloudflareStub, CF_TEST_TOKEN, cfFailure, type CloudflareStub, type CloudflareStubOptions } from './cloudflare-stub'
export type { Fault, FaultKind, LoggedRequest } from './stub-server'

// The browser side of web.test.mjs: one OpenFeature domain per provider.
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';

const changes = {};

window.flagctl = {
  /** Sets up a provider for domain; resolves with the client's status. */
  async connect(domain, options, context) {
    const provider = new OFREPWebProvider({ cacheMode: 'disabled', disableVisibilityRefresh: true, ...options });
    await OpenFeature.setContext(domain, context);
    const client = OpenFeature.getClient(domain);
    client.addHandler(ProviderEvents.ConfigurationChanged, () => { changes[domain] = (changes[domain] || 0) + 1; });
    try {
      await OpenFeature.setProviderAndWait(domain, provider);
    } catch (err) {
      return { status: client.providerStatus, error: String(err) };
    }
    return { status: client.providerStatus };
  },
  /** Boolean details of flag in domain. */
  details(domain, flag, defaultValue) {
    const d = OpenFeature.getClient(domain).getBooleanDetails(flag, defaultValue);
    return { value: d.value, reason: d.reason, variant: d.variant, errorCode: d.errorCode ?? null };
  },
  changes: (domain) => changes[domain] || 0,
};
document.getElementById('status').textContent = 'ready';

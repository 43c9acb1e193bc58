// The browser side of web.test.mjs: one OpenFeature domain per provider.
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';

const changes = {};

/** Shows the latest answer per row on the page (the screenshot artifact). */
function show(row, text) {
  let li = document.querySelector(`li[data-row="${CSS.escape(row)}"]`);
  if (!li) {
    li = document.createElement('li');
    li.dataset.row = row;
    document.getElementById('answers').append(li);
  }
  li.textContent = `${row}: ${text}`;
}

window.flagctl = {
  /** Sets up a provider for domain; resolves with the client's status. */
  async connect(domain, options, context) {
    const provider = new OFREPWebProvider({ cacheMode: 'disabled', disableVisibilityRefresh: true, ...options });
    await OpenFeature.setContext(domain, context);
    const client = OpenFeature.getClient(domain);
    client.addHandler(ProviderEvents.ConfigurationChanged, () => { changes[domain] = (changes[domain] || 0) + 1; });
    let error;
    try {
      await OpenFeature.setProviderAndWait(domain, provider);
    } catch (err) {
      error = String(err);
    }
    show(domain, client.providerStatus + (error ? ` (${error})` : ''));
    return error ? { status: client.providerStatus, error } : { status: client.providerStatus };
  },
  /** Boolean details of flag in domain. */
  details(domain, flag, defaultValue) {
    const d = OpenFeature.getClient(domain).getBooleanDetails(flag, defaultValue);
    show(`${domain} ${flag}`, `${d.value} ${d.reason}${d.errorCode ? ' ' + d.errorCode : ''}`);
    return { value: d.value, reason: d.reason, variant: d.variant, errorCode: d.errorCode ?? null };
  },
  changes: (domain) => changes[domain] || 0,
};
document.getElementById('status').textContent = 'ready';

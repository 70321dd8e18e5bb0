// metadata.yaml allowedHosts, resolved for a config the way the Airbyte platform does
// (airbyte-platform ConfigReplacer.getAllowedHosts): every config value is reachable as
// `${dotted.path}` and is reduced to its host name (scheme, credentials, port and path dropped);
// an entry with a placeholder the config does not fill is dropped. Matching is conservative: `*`
// stands for exactly one DNS label.

function hostOf(value: string): string {
  try {
    return new URL(value.includes('://') ? value : `x://${value}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return (value.split('://').pop() ?? value).split('/')[0]!.split('@').pop()!.split(':')[0]!;
  }
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (typeof value === 'string' || typeof value === 'number') {
    out.set(prefix, hostOf(String(value)));
  }
  return out;
}

/** The host patterns allowed for this config. */
export function allowedHostsFor(hosts: string[], config: unknown): string[] {
  const values = flatten(config, '', new Map());
  return hosts
    .map((h) => h.replace(/\$\{([^}]+)\}/g, (whole, key: string) => values.get(key) ?? whole))
    .filter((h) => !h.includes('${'));
}

export function hostAllowed(patterns: string[], host: string): boolean {
  return patterns.some((p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^.]+')}$`, 'i').test(host));
}

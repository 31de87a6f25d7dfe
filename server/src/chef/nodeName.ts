/**
 * The node a run is computed for: its name (`node.name`, Chef's node_name) and the machine's
 * `node['hostname']` / `node['fqdn']` / `node['domain']`. The user's choice (`--node-name`, the
 * `cloche.run.nodeName` setting) wins; without one, every front end uses the same placeholder, so
 * `cloche check`, the graph, the rendered-file preview, a dry run and a converge all render a
 * template header alike, and never with a throwaway container's id (the container Cloche creates
 * is given this name as its hostname too).
 */
import type { PlatformFacts } from './platforms';

/** The node name when the user chose none: stable across runs, platforms and front ends. */
export const PLACEHOLDER_NODE_NAME = 'cloche-node.local';

/** What a node name makes of the machine: its short hostname, the name as its fqdn, and the domain. */
export function nodeIdentity(name: string): { hostname: string; fqdn: string; domain?: string } {
  const dot = name.indexOf('.');
  return dot > 0 ? { hostname: name.slice(0, dot), fqdn: name, domain: name.slice(dot + 1) } : { hostname: name, fqdn: name };
}

/** The facts with the machine named after `name` (unchanged when no name is given). */
export function withNodeName(facts: PlatformFacts, name: string | undefined): PlatformFacts {
  if (!name) return facts;
  const { hostname, fqdn } = nodeIdentity(name);
  return facts.hostname === hostname && facts.fqdn === fqdn ? facts : { ...facts, hostname, fqdn };
}

/** Whether a text can be a node name (Chef's are free-form, but Cloche also makes it a hostname). */
export function validNodeName(name: string): boolean {
  return /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(name) && name.length <= 253;
}

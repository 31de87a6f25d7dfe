/**
 * Rules about resource declarations: unknown types, properties, values and actions, deprecated and
 * missing required properties.
 */
import { checkPropertyValue } from '../catalog/propertyCheck';
import { suggest } from '../catalog/catalog';
import type { DiagnosticData, SourceLocation } from '../../protocol';
import { type Rule, diag } from './ruleTypes';
import { unsupportedOn } from '../catalog/platformSupport';
import type { ResourceDecl } from '../resourceDecl';

/** The did-you-mean sentence for the message, and the same suggestions as data (with the range they replace). */
function didYouMean(name: string, candidates: Iterable<string>, replace: SourceLocation | undefined): { text: string; data?: DiagnosticData } {
  const s = suggest(name, candidates);
  if (!s.length) return { text: '' };
  return { text: ` Did you mean ${s.map((x) => `'${x}'`).join(' or ')}?`, data: replace ? { suggestions: s, replace } : { suggestions: s } };
}

/** Properties every resource once had, and what became of them (so the message says why code of that time fails). */
const REMOVED_PROPERTIES: Record<string, string> = {
  supports: 'Chef 13 removed `supports` from every resource but service (for user, use `manage_home`).',
};

export const unknownResource: Rule = {
  code: 'unknown-resource',
  explanation: 'A resource type that no built-in resource and no cookbook in the workspace provides.',
  run({ model, compilation, incompleteCookbooks }) {
    const out = [];
    for (const r of compilation.resources) {
      if (r.schemaMissing !== 'unknown') continue;
      const loc = r.nameLoc ?? r.loc;
      if (incompleteCookbooks.has(r.cookbook)) continue; // a missing dependency may provide it (reported once elsewhere)
      const dym = didYouMean(r.type, model.catalog.dslNames(), r.nameLoc);
      out.push(diag(loc, 'error', this.code, `Unknown resource type '${r.type}'.${dym.text}`, { data: dym.data }));
    }
    return out;
  },
};

export const resourceNotOnPlatform: Rule = {
  code: 'resource-not-on-platform',
  explanation: 'A resource type that exists, but not on the chosen platform, or that fails there when it runs (a Windows-only resource on Linux).',
  run({ compilation }) {
    const { facts } = compilation;
    const out = [];
    for (const r of compilation.resources) {
      if (r.conditional) continue;
      if (r.schemaMissing === 'other-platform') {
        out.push(diag(r.nameLoc ?? r.loc, 'warning', this.code, `'${r.type}' is not available on ${facts.profile} (${facts.platform}); Chef would fail to find a provider for it there.`));
        continue;
      }
      // Declared for every platform, but its action fails off its own: a problem only when it runs.
      const why = r.schema?.source === 'builtin' && !mayNotRun(r) ? unsupportedOn(r.schema.name, facts) : undefined;
      if (why) out.push(diag(r.nameLoc ?? r.loc, 'warning', this.code, `'${r.type}' would fail on ${facts.profile} (${facts.platform}): ${why}.`));
    }
    return out;
  },
};

/** A guard that is not known to let it run, or only `action :nothing`: Chef may never run its action. */
function mayNotRun(r: ResourceDecl): boolean {
  if (!r.actionUnknown && r.actions.every((a) => a === 'nothing')) return true;
  return r.guards.some((g) => !(g.form === 'block' && g.value === (g.kind === 'only_if')));
}

export const unknownProperty: Rule = {
  code: 'unknown-property',
  explanation: 'A property that the resource type does not have.',
  run({ compilation }) {
    const out = [];
    for (const r of compilation.resources) {
      if (!r.schema) continue;
      for (const p of r.props) {
        if (p.known) continue;
        const dym = didYouMean(p.name, r.schema.properties.keys(), p.nameLoc);
        const removed = REMOVED_PROPERTIES[p.name] ? ` ${REMOVED_PROPERTIES[p.name]}` : '';
        // Under a condition the evaluator cannot decide, Chef fails only if that branch runs.
        const severity = p.conditional ? 'warning' : 'error';
        const when = p.conditional ? ` (Chef fails when ${p.conditional.replace(/ \(.*$/, '')} holds)` : '';
        out.push(diag(p.nameLoc ?? p.loc, severity, this.code, `${r.type} has no property '${p.name}'${when}.${removed}${dym.text}`, { data: dym.data }));
      }
    }
    return out;
  },
};

export const invalidPropertyValue: Rule = {
  code: 'invalid-property-value',
  explanation: 'A property value of the wrong type, or not one of the allowed values.',
  run({ compilation }) {
    const out = [];
    for (const r of compilation.resources) {
      if (!r.schema) continue;
      for (const p of r.props) {
        const prop = r.schema.properties.get(p.name);
        if (!prop || p.value.k === 'proc') continue;
        const check = checkPropertyValue(prop, p.value, r.type);
        if (check.ok === false) out.push(diag(p.valueLoc ?? p.loc, 'error', this.code, check.message[0].toUpperCase() + check.message.slice(1) + '.'));
      }
    }
    return out;
  },
};

export const unknownAction: Rule = {
  code: 'unknown-action',
  explanation: 'An action that the resource type does not have (in `action` or in a notification).',
  run({ compilation }) {
    const out = [];
    for (const r of compilation.resources) {
      if (r.schema && r.explicitAction) {
        for (const a of r.actions) {
          if (r.schema.actions.includes(a)) continue;
          const dym = didYouMean(a, r.schema.actions, r.actionWordLocs?.get(a));
          out.push(diag(r.actionWordLocs?.get(a) ?? r.actionLoc ?? r.loc, 'error', this.code, `${r.type} has no action :${a} (it has ${r.schema.actions.map((x) => ':' + x).join(', ')}).${dym.text}`, { data: dym.data }));
        }
      }
      for (const n of r.notifications) {
        const target = n.kind === 'notifies' ? n.resolved : r;
        const schema = target?.schema;
        if (!schema || n.actionUnknown || !n.action || schema.actions.includes(n.action)) continue;
        const dym = didYouMean(n.action, schema.actions, n.actionLoc);
        const typeName = (n.kind === 'notifies' ? n.resolved?.type : r.type) ?? schema.name;
        out.push(diag(n.loc, 'error', this.code, `${typeName} has no action :${n.action} to ${n.kind === 'notifies' ? 'notify' : 'subscribe with'}.${dym.text}`, { data: dym.data }));
      }
    }
    return out;
  },
};

export const deprecatedProperty: Rule = {
  code: 'deprecated-property',
  explanation: 'A property Chef has deprecated.',
  run({ compilation }) {
    const out = [];
    for (const r of compilation.resources) {
      for (const p of r.props) {
        const prop = r.schema?.properties.get(p.name);
        if (!prop?.deprecated) continue;
        // A plain rename: the fix replaces the name (only where the name is written as the word itself).
        const successor = prop.replacedBy && r.schema!.properties.has(prop.replacedBy) ? prop.replacedBy : undefined;
        const data = successor && p.nameLoc ? { suggestions: [successor], replace: p.nameLoc } : undefined;
        out.push(diag(p.nameLoc ?? p.loc, 'warning', this.code, `Property '${p.name}' of ${r.type} is deprecated.${successor ? ` Use '${successor}'.` : ''}`, { tags: ['deprecated'], data }));
      }
    }
    return out;
  },
};

export const missingRequiredProperty: Rule = {
  code: 'missing-required-property',
  explanation: 'A custom resource run without a property it requires for that action (and that has no default).',
  run({ compilation }) {
    const out = [];
    for (const r of compilation.resources) {
      if (!r.schema || r.schema.source === 'builtin' || r.actionUnknown) continue;
      for (const prop of r.schema.properties.values()) {
        // Chef 16+: a required property fails only when its value is nil for the action being run; a
        // default (lazy or not) or the name gives it one.
        if (!prop.required || prop.nameProperty || prop.name === 'name' || prop.defaultKind !== 'none' || prop.default !== undefined) continue;
        if (prop.requiredForActions?.length && !r.actions.some((a) => prop.requiredForActions!.includes(a))) continue;
        if (r.props.some((p) => p.name === prop.name || r.schema!.properties.get(p.name)?.aliasOf === prop.name)) continue;
        out.push(diag(r.nameLoc ?? r.loc, 'error', this.code, `${r.type} requires property '${prop.name}'${prop.requiredForActions?.length ? ` for :${r.actions.filter((a) => prop.requiredForActions!.includes(a)).join(', :')}` : ''}.`));
      }
    }
    return out;
  },
};

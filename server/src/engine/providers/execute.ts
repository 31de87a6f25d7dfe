/**
 * execute and the script family (bash, script, sh, perl, python, ruby …): planned as "would run"
 * unless `creates` exists (now, or because an earlier step creates it). The effects of a command
 * cannot be simulated: the step is opaque. Apply honours cwd, environment, user, group, umask,
 * returns and timeout (enforced by `timeout` inside the container, so a hung command is killed
 * there and not only its `docker exec`).
 */

import { PropReader } from '../props';
import type { ApplyScript, EngineResource, Provider } from '../types';
import { change, failedStep, needAccount, shQuote, unknownStep } from './common';

/** Script resources and their default interpreters. */
const INTERPRETERS: Record<string, string> = { bash: 'bash', sh: 'sh', csh: 'csh', ksh: 'ksh', perl: 'perl', python: 'python3', ruby: 'ruby' };
/** Chef's default `timeout` for execute resources (seconds). */
export const DEFAULT_TIMEOUT_SEC = 3600;

/** What an execute-family resource runs and how. */
export function commandOf(r: EngineResource) {
  const reader = new PropReader(r);
  const isScript = r.type !== 'execute' && r.resolvedType !== 'execute';
  const interpreter = reader.str('interpreter') ?? INTERPRETERS[r.type] ?? INTERPRETERS[r.resolvedType];
  const code = isScript ? reader.str('code') : undefined;
  const command = isScript ? undefined : reader.str('command') ?? (reader.has('command') ? undefined : r.name);
  const env = { ...reader.map('environment'), ...reader.map('env') };
  const returns = (reader.list('returns') ?? ['0']).map(Number);
  return {
    reader, isScript, interpreter, code, command, env, returns,
    creates: reader.str('creates'), cwd: reader.str('cwd'), user: reader.str('user'), group: reader.str('group'),
    umask: reader.str('umask'), timeout: reader.num('timeout') ?? DEFAULT_TIMEOUT_SEC, flags: reader.str('flags') ?? '',
  };
}

export const executeProvider: Provider = {
  types: ['execute', 'bash', 'script', 'sh', 'csh', 'ksh', 'perl', 'python', 'ruby'],
  actions: ['run', 'nothing'],
  queries(r) {
    const c = commandOf(r);
    const qs: ReturnType<Provider['queries']> = [];
    if (c.creates) qs.push({ kind: 'path', path: c.cwd && !c.creates.startsWith('/') ? `${c.cwd}/${c.creates}` : c.creates });
    if (c.cwd) qs.push({ kind: 'path', path: c.cwd });
    if (c.user && !/^\d+$/.test(c.user)) qs.push({ kind: 'user', name: c.user });
    return qs;
  },
  plan(ctx) {
    const c = commandOf(ctx.resource);
    const text = c.isScript ? c.code : c.command;
    if (c.creates) {
      const path = c.cwd && !c.creates.startsWith('/') ? `${c.cwd}/${c.creates}` : c.creates;
      const k = ctx.state.path(path);
      if (!k.ok) return unknownStep(k.reason);
      if (k.value.kind !== 'missing') {
        return { status: 'skipped', reason: `creates ${path} exists${k.value.by ? ` (created earlier by ${k.value.by})` : ''}`, changes: [] };
      }
      ctx.state.setPath(path, { kind: 'file', by: ctx.resource.id });
    }
    if (c.isScript && !c.interpreter) return unknownStep('script resource without an interpreter');
    const assumptions: string[] = [];
    if (c.user && !/^\d+$/.test(c.user)) {
      const u = needAccount(ctx.state, 'user', c.user);
      if (u.unknown) return unknownStep(u.unknown);
      if (u.failed) return failedStep(u.failed);
      if (u.assumption) assumptions.push(u.assumption);
    }
    if (c.cwd) {
      const d = ctx.state.dirStatus(c.cwd);
      if (!('reason' in d) && !d.is) return failedStep(`cwd ${c.cwd} does not exist`);
    }
    ctx.state.opaque.push(ctx.resource.id);
    const shown = text === undefined ? '(command unknown)' : text.trim().split('\n')[0] + (text.trim().includes('\n') ? ' …' : '');
    const step = change([{ property: 'command', from: null, to: ctx.resource.sensitive ? '(sensitive)' : text ?? null,
      message: `would run ${ctx.resource.sensitive ? '(sensitive command)' : `\`${shown}\``}${c.user ? ` as ${c.user}` : ''}${c.cwd ? ` in ${c.cwd}` : ''}` }], { opaque: true, ...(assumptions.length ? { assumptions } : {}) });
    if (c.reader.reasons.length) return { ...step, status: 'unknown', reason: c.reader.reasons.join('; ') };
    return step;
  },
  apply(ctx): ApplyScript {
    const c = commandOf(ctx.resource);
    if (c.reader.reasons.length) throw new Error(`cannot run ${ctx.resource.id}: ${c.reader.reasons.join('; ')}`);
    const env = Object.entries(c.env).filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)).map(([k, v]) => `${k}=${shQuote(v)}`);
    const runAs = c.user ? `runuser -u ${shQuote(c.user)}${c.group ? ` -g ${shQuote(c.group)}` : ''} -- ` : '';
    const lines = ['t=""'];
    if (c.umask) lines.push(`umask ${c.umask}`);
    if (c.cwd) lines.push(`cd ${shQuote(c.cwd)} || exit 1`);
    let run: string;
    if (c.isScript) {
      // The code travels on stdin into a temp file the interpreter reads (any size, no quoting).
      lines.push('t=$(mktemp /tmp/cloche-script-XXXXXX)', 'cat > "$t"', c.user ? `chown ${shQuote(c.user)} "$t"` : '');
      run = `${c.interpreter} ${c.flags} "$t"`;
    } else run = `sh -c ${shQuote(c.command ?? '')}`;
    lines.push(`${runAs}env ${env.join(' ')} timeout -k 5 ${c.timeout} ${run} </dev/null`, 'rc=$?', '[ -n "$t" ] && rm -f "$t"',
      '[ $rc -eq 124 ] && echo "cloche: command timed out after ' + c.timeout + ' s (timeout property)" >&2',
      `case " ${c.returns.join(' ')} " in *" $rc "*) exit 0 ;; esac`, 'exit $rc');
    return { script: lines.filter(Boolean).join('\n'), stdin: c.isScript ? c.code ?? '' : undefined, timeoutSec: c.timeout };
  },
};

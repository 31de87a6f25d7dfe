/**
 * What a step makes on the machine under its own name, as entries of the virtual state: the path
 * of a file-like resource (and the unit of a file written where systemd reads units), the account
 * of a user or group, the name of a service. When a step is `unknown` (never applied), these become
 * unknown for the steps after it; when a file step writes a unit, the unit counts as installed by it.
 * A step whose name is not known may make any user, group or directory of its kind.
 */
import { PropReader } from './props';
import type { VirtualState } from './state';
import type { EngineResource } from './types';

const PATH_TYPES = new Set(['file', 'template', 'cookbook_file', 'remote_file', 'directory', 'link', 'remote_directory', 'archive_file', 'git']);
const USER_TYPES = new Set(['user', 'linux_user']);
const GROUP_TYPES = new Set(['group', 'linux_group']);
const SERVICE_TYPES = new Set(['service', 'systemd_service', 'debian_service', 'sysvinit_service']);
/** What a resource of these types makes under its name, when the name is not known. */
const UNNAMED_MAKES: Record<string, 'user' | 'group' | 'path'> = {
  user: 'user', linux_user: 'user', group: 'group', linux_group: 'group', directory: 'path', remote_directory: 'path', git: 'path',
};
/** A unit file where systemd reads units: its service name. */
const UNIT_PATH = /^\/(?:etc|lib|usr\/lib|run)\/systemd\/system\/([^/]+)\.(?:service|socket|timer)$/;

/** The entries a resource makes under its name (tables of {@link VirtualState.markUncertain}). */
export function touches(r: EngineResource): { table: 'path' | 'user' | 'group' | 'service'; key: string }[] {
  const type = PATH_TYPES.has(r.resolvedType) ? r.resolvedType : r.type;
  const reader = new PropReader(r);
  if (PATH_TYPES.has(type)) {
    const path = (type === 'git' ? reader.str('destination') : type === 'link' ? reader.str('target_file') : type === 'archive_file' ? reader.str('destination') : reader.str('path')) ?? r.name;
    const unit = UNIT_PATH.exec(path);
    return [{ table: 'path', key: path }, ...(unit ? [{ table: 'service' as const, key: unit[1] }] : [])];
  }
  if (USER_TYPES.has(r.resolvedType) || USER_TYPES.has(r.type)) return [{ table: 'user', key: reader.str('username') ?? r.name }];
  if (GROUP_TYPES.has(r.resolvedType) || GROUP_TYPES.has(r.type)) return [{ table: 'group', key: reader.str('group_name') ?? r.name }];
  if (SERVICE_TYPES.has(r.resolvedType) || SERVICE_TYPES.has(r.type)) return [{ table: 'service', key: reader.str('service_name') ?? r.name }];
  if (r.resolvedType === 'systemd_unit' || r.type === 'systemd_unit') {
    const name = reader.str('unit_name') ?? r.name;
    return [{ table: 'path', key: `/etc/systemd/system/${name}` }, { table: 'service', key: name.replace(/\.service$/, '') }];
  }
  return [];
}

/**
 * After a step: an unknown one leaves what it makes unknown (one with an unknown name, anything of
 * its kind: `VirtualState.unnamed`); a file step that writes a unit installs it.
 */
export function recordTouches(r: EngineResource, action: string, status: string, state: VirtualState): void {
  if (r.custom) return;
  if (r.unknownName) {
    const makes = UNNAMED_MAKES[r.resolvedType] ?? UNNAMED_MAKES[r.type];
    if (makes && action !== 'remove' && action !== 'delete' && action !== 'nothing') state.unnamed[makes].push(r.id);
    return;
  }
  for (const t of touches(r)) {
    if (status === 'unknown') state.markUncertain(t.table, t.key, `${r.id} may change it, and it is not known what it does`);
    else if (status === 'change' && t.table === 'service' && !SERVICE_TYPES.has(r.type)) {
      const s = state.service(t.key);
      if (s.ok && !s.value.by) state.setService(t.key, { ...s.value, by: r.id });
    }
  }
}

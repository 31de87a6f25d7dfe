/**
 * Short documentation for the built-in resources real cookbooks use most, written for Cloche (the
 * facts file carries no prose, and Chef's own docs are not ours to copy). One line per resource,
 * property and action; hover and completion show them, and builtin.ts attaches them to the schemas.
 */

interface ResourceDocEntry {
  summary: string;
  properties?: Record<string, string>;
  actions?: Record<string, string>;
}

/** Properties and guards every resource accepts. */
const COMMON_PROPERTIES: Record<string, string> = {
  name: 'The resource\'s name; also the default of its name property.',
  action: 'What to do, or a list of things to do in order; each resource type has its own default.',
  notifies: 'Tell another resource to run an action when this one changes: `notifies :restart, \'service[x]\', :delayed`.',
  subscribes: 'Run an action on this resource when another one changes.',
  only_if: 'Guard: skip the resource unless this command succeeds or this block is true.',
  not_if: 'Guard: skip the resource when this command succeeds or this block is true.',
  ignore_failure: 'Keep converging when this resource fails (`:quiet` also hides the error output).',
  retries: 'How many more times to try after a failure.',
  retry_delay: 'Seconds to wait between retries.',
  sensitive: 'Hide property values and output from logs and diffs (for secrets).',
  compile_time: 'Run the resource while the recipe is compiled instead of during converge.',
  umask: 'File creation mask used while the resource runs.',
  guard_interpreter: 'Which resource type runs string guards (e.g. `:bash`); defaults to a plain shell.',
  provider: 'Force a specific provider class; rarely needed.',
};

const COMMON_ACTIONS: Record<string, string> = {
  nothing: 'Do nothing unless notified by another resource.',
};

const SECURABLE: Record<string, string> = {
  owner: 'User that should own it (name or numeric id).',
  user: 'Same as `owner`.',
  group: 'Group that should own it (name or numeric id).',
  mode: 'Permission bits, best written as a quoted octal string like `\'0644\'`.',
};

const FILE_PROPS: Record<string, string> = {
  ...SECURABLE,
  path: 'Full path of the file; defaults to the resource name.',
  content: 'The exact text the file should contain.',
  backup: 'How many earlier versions to keep when the file changes, or `false` for none.',
  checksum: 'Expected SHA-256 of the file; the file is left alone when it already matches.',
  atomic_update: 'Write to a temporary file first and move it into place.',
  force_unlink: 'Replace the target even when it is not a regular file (e.g. a symlink).',
  manage_symlink_source: 'When the path is a symlink, manage the file it points at.',
  verify: 'A command or block that must succeed on the new content before it is installed.',
  verifications: 'The checks added with `verify`.',
  diff: 'The content diff Chef computed (read-only in practice).',
  sensitive: 'Hide the content diff and values from logs.',
};

const FILE_ACTIONS: Record<string, string> = {
  create: 'Create the file, or update it to match.',
  create_if_missing: 'Create the file only when it does not exist; never change it afterwards.',
  delete: 'Remove the file.',
  touch: 'Create or update the file, then set its modification time to now.',
};

const PACKAGE_PROPS: Record<string, string> = {
  package_name: 'Package to manage (or a list); defaults to the resource name.',
  version: 'Exact version to install (or one per package).',
  options: 'Extra command-line options for the package manager.',
  source: 'Local path or URL of a package file to install instead of the repository.',
  timeout: 'Seconds to wait for the package manager.',
  environment: 'Environment variables for the package manager.',
};

const PACKAGE_ACTIONS: Record<string, string> = {
  install: 'Install the package if missing (a given `version` if set).',
  upgrade: 'Install or upgrade to the newest available version.',
  remove: 'Uninstall the package.',
  purge: 'Uninstall the package and its configuration files.',
  reconfig: 'Reconfigure the package (with a response file).',
  lock: 'Hold the package at its current version.',
  unlock: 'Release a held package.',
  flush_cache: 'Refresh the package manager\'s metadata cache.',
};

const EXECUTE_PROPS: Record<string, string> = {
  command: 'The command to run; defaults to the resource name.',
  creates: 'Skip the command when this file already exists.',
  cwd: 'Working directory for the command.',
  environment: 'Environment variables for the command.',
  env: 'Same as `environment`.',
  user: 'Run as this user.',
  group: 'Run with this group.',
  returns: 'Exit code (or list of codes) that count as success; 0 by default.',
  timeout: 'Seconds before the command is killed; one hour by default.',
  live_stream: 'Echo the command\'s output while it runs.',
  default_env: 'Add Chef\'s default PATH and locale to the environment.',
  login: 'Run in a login shell of the user.',
  input: 'Text fed to the command on standard input.',
  sensitive: 'Hide the command and its output from logs.',
};

const RUN_ACTIONS: Record<string, string> = { run: 'Run it (every converge, unless a guard or `creates` says no).' };

const SCRIPT_PROPS: Record<string, string> = {
  ...EXECUTE_PROPS,
  code: 'The script text to run.',
  flags: 'Extra options for the interpreter.',
  interpreter: 'The interpreter that runs `code`.',
};

const SERVICE_PROPS: Record<string, string> = {
  service_name: 'Name of the service as the init system knows it; defaults to the resource name.',
  supports: 'What the service script can do: `{ restart: true, reload: true, status: true }`.',
  pattern: 'Process-table pattern used to find the service when it has no status command.',
  start_command: 'Command that starts the service, replacing the default.',
  stop_command: 'Command that stops the service, replacing the default.',
  status_command: 'Command that reports whether the service runs, replacing the default.',
  restart_command: 'Command that restarts the service, replacing the default.',
  reload_command: 'Command that reloads the service, replacing the default.',
  init_command: 'Path of the init script to use.',
  options: 'Options passed to the service command (upstart/systemd).',
  priority: 'Start order (rc.d priority).',
  timeout: 'Seconds to wait for the service command.',
  parameters: 'Parameters passed to the service (upstart).',
  run_levels: 'Run levels to enable the service in.',
  user: 'User whose service manager handles the service (systemd user units).',
};

const SERVICE_ACTIONS: Record<string, string> = {
  enable: 'Start the service at boot.',
  disable: 'Do not start the service at boot.',
  start: 'Start the service if it is not running.',
  stop: 'Stop the service if it is running.',
  restart: 'Stop and start the service.',
  reload: 'Ask the service to reload its configuration.',
  mask: 'Prevent the service from being started at all (systemd).',
  unmask: 'Undo a mask (systemd).',
};

const SCRIPT_RESOURCE = (lang: string): ResourceDocEntry => ({ summary: `Runs a ${lang} script given in \`code\`.`, properties: SCRIPT_PROPS, actions: RUN_ACTIONS });

const SELINUX_MANAGE: Record<string, string> = {
  manage: 'Add the entry, or change it to match.',
  addormodify: 'Same as manage.',
  add: 'Add the entry when it is missing.',
  modify: 'Change an existing entry.',
  delete: 'Remove the entry.',
};

const DOCS: Record<string, ResourceDocEntry> = {
  package: { summary: 'Installs or removes a package with the platform\'s package manager (apt, dnf, …).', properties: PACKAGE_PROPS, actions: PACKAGE_ACTIONS },
  apt_package: { summary: 'Manages a Debian/Ubuntu package with apt.', properties: { ...PACKAGE_PROPS, default_release: 'Release to install from (apt\'s `-t`).', overwrite_config_files: 'Replace changed config files with the package\'s versions.', response_file: 'Debconf answers file from the cookbook.', response_file_variables: 'Variables for the response file template.' }, actions: PACKAGE_ACTIONS },
  dnf_package: { summary: 'Manages an RPM package with dnf (RHEL 8+, Fedora, Amazon Linux 2023).', properties: { ...PACKAGE_PROPS, arch: 'CPU architecture of the package.', flush_cache: 'Refresh metadata before and/or after the action.', allow_downgrade: 'Allow installing an older version than the one present.' }, actions: PACKAGE_ACTIONS },
  yum_package: { summary: 'Manages an RPM package with yum (older RHEL and Amazon Linux 2).', properties: { ...PACKAGE_PROPS, arch: 'CPU architecture of the package.', flush_cache: 'Refresh metadata before and/or after the action.', allow_downgrade: 'Allow installing an older version than the one present.', yum_binary: 'Path of the yum executable.' }, actions: PACKAGE_ACTIONS },
  rpm_package: { summary: 'Installs a local .rpm file with rpm itself (no dependency resolution).', properties: PACKAGE_PROPS, actions: PACKAGE_ACTIONS },
  dpkg_package: { summary: 'Installs a local .deb file with dpkg itself (no dependency resolution).', properties: PACKAGE_PROPS, actions: PACKAGE_ACTIONS },
  snap_package: { summary: 'Manages a snap package.', properties: { ...PACKAGE_PROPS, channel: 'Snap channel to track (stable, edge, …).' }, actions: PACKAGE_ACTIONS },
  gem_package: { summary: 'Installs a Ruby gem for the system Ruby.', properties: { ...PACKAGE_PROPS, gem_binary: 'Path of the gem command to use.', clear_sources: 'Ignore the default gem sources.', include_default_source: 'Also use rubygems.org when `source` is set.' }, actions: PACKAGE_ACTIONS },
  chef_gem: { summary: 'Installs a Ruby gem into Chef\'s own Ruby, for use by recipes and libraries.', properties: { ...PACKAGE_PROPS, gem_binary: 'Path of the gem command to use.', clear_sources: 'Ignore the default gem sources.' }, actions: PACKAGE_ACTIONS },
  directory: {
    summary: 'Creates or removes a directory and sets its owner and mode.',
    properties: { ...SECURABLE, path: 'Directory path; defaults to the resource name.', recursive: 'Create missing parents (only the last directory gets owner/mode), or delete contents too.' },
    actions: { create: 'Create the directory if it is missing and fix owner/mode.', delete: 'Remove the directory (`recursive` for non-empty ones).' },
  },
  file: { summary: 'Manages a file and its content directly from the recipe.', properties: FILE_PROPS, actions: FILE_ACTIONS },
  template: {
    summary: 'Renders an ERB template from the cookbook\'s templates/ folder into a file.',
    properties: { ...FILE_PROPS, source: 'Template file in templates/; defaults to the path\'s basename plus `.erb`.', variables: 'Hash of values the template reads as `@name`.', cookbook: 'Take the template from another cookbook.', local: 'Read `source` from the node\'s filesystem instead of a cookbook.', helpers: 'Helper methods made available to the template.' },
    actions: FILE_ACTIONS,
  },
  cookbook_file: {
    summary: 'Copies a file shipped in the cookbook\'s files/ folder onto the node.',
    properties: { ...FILE_PROPS, source: 'File name in files/; defaults to the path\'s basename.', cookbook: 'Take the file from another cookbook.' },
    actions: FILE_ACTIONS,
  },
  remote_file: {
    summary: 'Downloads a file from a URL (or copies a local path) to the node.',
    properties: { ...FILE_PROPS, source: 'URL or list of URLs to try in order.', headers: 'Extra HTTP request headers.', use_etag: 'Skip the download when the server\'s ETag is unchanged.', use_last_modified: 'Skip the download when Last-Modified is unchanged.', show_progress: 'Log download progress.', ftp_active_mode: 'Use active instead of passive FTP.', remote_user: 'User for Windows network shares.', remote_password: 'Password for Windows network shares.', http_options: 'Options for Chef\'s HTTP client.' },
    actions: FILE_ACTIONS,
  },
  remote_directory: {
    summary: 'Copies a whole directory from the cookbook\'s files/ folder to the node.',
    properties: { ...SECURABLE, path: 'Target directory; defaults to the resource name.', source: 'Directory name in files/.', cookbook: 'Take the files from another cookbook.', purge: 'Delete files in the target that the cookbook does not have.', overwrite: 'Replace files that differ.', recursive: 'Create missing parent directories.', files_owner: 'Owner of the copied files.', files_group: 'Group of the copied files.', files_mode: 'Mode of the copied files.', files_backup: 'How many backups of replaced files to keep.' },
    actions: { create: 'Copy the directory, updating changed files.', create_if_missing: 'Copy only files that do not exist yet.', delete: 'Remove the target directory.' },
  },
  link: {
    summary: 'Creates or removes a symbolic or hard link.',
    properties: { ...SECURABLE, target_file: 'Path of the link itself; defaults to the resource name.', to: 'What the link points at.', link_type: '`:symbolic` (default) or `:hard`.' },
    actions: { create: 'Create the link, or repoint it.', delete: 'Remove the link.' },
  },
  execute: { summary: 'Runs a shell command. Add a guard or `creates` so it does not run every time.', properties: EXECUTE_PROPS, actions: RUN_ACTIONS },
  script: { summary: 'Runs a script with the interpreter named in `interpreter`.', properties: SCRIPT_PROPS, actions: RUN_ACTIONS },
  bash: SCRIPT_RESOURCE('Bash'),
  ruby: SCRIPT_RESOURCE('Ruby (a separate ruby process, not Chef\'s)'),
  python: SCRIPT_RESOURCE('Python'),
  perl: SCRIPT_RESOURCE('Perl'),
  service: { summary: 'Starts, stops, enables or disables a system service through the init system.', properties: SERVICE_PROPS, actions: SERVICE_ACTIONS },
  windows_service: {
    summary: 'Manages a Windows service, including creating and configuring it.',
    properties: { ...SERVICE_PROPS, startup_type: '`:automatic`, `:manual` or `:disabled`.', run_as_user: 'Account the service runs as.', run_as_password: 'Password of that account.', binary_path_name: 'Executable of the service.', display_name: 'Name shown in the services console.', description: 'Description shown in the services console.', delayed_start: 'Start shortly after boot instead of at boot.' },
    actions: { ...SERVICE_ACTIONS, configure_startup: 'Apply `startup_type`.', create: 'Install the service.', delete: 'Uninstall the service.', configure: 'Change the service\'s settings.' },
  },
  systemd_unit: {
    summary: 'Writes a systemd unit file and controls the unit with systemctl.',
    properties: { unit_name: 'Unit name with suffix (e.g. `app.service`); defaults to the resource name.', content: 'Unit file text, or a Hash of sections that becomes the file.', user: 'Manage a user unit of this user instead of a system unit.', triggers_reload: 'Run `systemctl daemon-reload` after the file changes.', verify: 'Check the unit with systemd-analyze before installing it.' },
    actions: { ...SERVICE_ACTIONS, create: 'Write the unit file.', delete: 'Remove the unit file.', preset: 'Reset enablement to the preset policy.', revert: 'Drop local overrides of the unit.', reenable: 'Disable and enable again.', try_restart: 'Restart only if running.', reload_or_restart: 'Reload if supported, else restart.', reload_or_try_restart: 'Reload if supported, else restart if running.' },
  },
  apt_update: {
    summary: 'Refreshes apt\'s package lists.',
    properties: { frequency: 'Seconds between refreshes for the `:periodic` action (one day by default).' },
    actions: { periodic: 'Refresh only when the last refresh is older than `frequency`.', update: 'Refresh now.' },
  },
  apt_repository: {
    summary: 'Adds an apt source list entry and its signing key.',
    properties: { repo_name: 'Name of the sources file; defaults to the resource name.', uri: 'Base URL of the repository (or a PPA).', distribution: 'Release codename; defaults to the node\'s.', components: 'Components such as `main`.', arch: 'Architecture restriction.', key: 'Signing key URL, file or fingerprint.', keyserver: 'Keyserver to fetch `key` from.', trusted: 'Trust the repository without signatures.', deb_src: 'Also add a deb-src line.', signed_by: 'Use a per-repository keyring (`signed-by`).', cache_rebuild: 'Refresh apt\'s lists after the change.' },
    actions: { add: 'Add or update the repository.', remove: 'Remove the repository.' },
  },
  apt_preference: {
    summary: 'Pins package versions or origins in /etc/apt/preferences.d.',
    properties: { package_name: 'Package (or pattern) to pin.', glob: 'Glob of packages to pin.', pin: 'The pin expression, e.g. `version 1.2*`.', pin_priority: 'Priority of the pin.' },
    actions: { add: 'Write the preference file.', remove: 'Remove it.' },
  },
  yum_repository: {
    summary: 'Writes a .repo file for yum/dnf.',
    properties: { repositoryid: 'Repository id; defaults to the resource name.', baseurl: 'URL of the repository.', mirrorlist: 'URL of a mirror list.', description: 'Human-readable name.', enabled: 'Whether the repository is used.', gpgcheck: 'Check package signatures.', gpgkey: 'URL or path of the signing key.', priority: 'Repository priority (lower wins).', exclude: 'Packages to ignore from this repository.', make_cache: 'Refresh metadata after writing the file.', sslverify: 'Verify TLS certificates.' },
    actions: { create: 'Write the repository file.', add: 'Same as create.', remove: 'Remove the repository file.', delete: 'Same as remove.', makecache: 'Refresh the repository\'s metadata.' },
  },
  user: {
    summary: 'Creates, changes or removes a local user account.',
    properties: { username: 'Login name; defaults to the resource name.', comment: 'GECOS field, usually the full name.', home: 'Home directory path.', shell: 'Login shell.', uid: 'Numeric user id.', gid: 'Primary group (name or id).', password: 'Password hash (not clear text on Linux).', manage_home: 'Create, move or delete the home directory along with the user.', system: 'Create a system account.', non_unique: 'Allow a duplicate uid.', force: 'Remove even when the user is logged in.', expire_date: 'Date the account expires (YYYY-MM-DD).', inactive: 'Days after password expiry until the account is disabled.' },
    actions: { create: 'Create the user, or update it to match.', remove: 'Delete the user.', modify: 'Change an existing user; fail if missing.', manage: 'Change the user if it exists; do nothing otherwise.', lock: 'Lock the password.', unlock: 'Unlock the password.' },
  },
  group: {
    summary: 'Creates, changes or removes a local group and its members.',
    properties: { group_name: 'Group name; defaults to the resource name.', gid: 'Numeric group id.', members: 'Users that should be members.', excluded_members: 'Users that must not be members.', append: 'Add `members` to the existing ones instead of replacing them.', system: 'Create a system group.', non_unique: 'Allow a duplicate gid.', comment: 'Description of the group.' },
    actions: { create: 'Create the group, or update it to match.', remove: 'Delete the group.', modify: 'Change an existing group; fail if missing.', manage: 'Change the group if it exists; do nothing otherwise.' },
  },
  ruby_block: {
    summary: 'Runs Ruby code inside Chef during the converge (not at compile time).',
    properties: { block: 'The Ruby code to run.', block_name: 'Name of the block; defaults to the resource name.' },
    actions: { run: 'Run the block.', create: 'Same as run.' },
  },
  whyrun_safe_ruby_block: { summary: 'A ruby_block that also runs in why-run mode; it must not change the system.', properties: { block: 'The Ruby code to run.' }, actions: { run: 'Run the block.', create: 'Same as run.' } },
  log: {
    summary: 'Writes a message to Chef\'s log during the converge.',
    properties: { message: 'Text to log; defaults to the resource name.', level: 'Log level: `:debug`, `:info`, `:warn`, `:error` or `:fatal`.' },
    actions: { write: 'Write the message.' },
  },
  cron: {
    summary: 'Manages an entry in a user\'s crontab.',
    properties: { minute: 'Minute field (`*` by default).', hour: 'Hour field.', day: 'Day-of-month field.', month: 'Month field.', weekday: 'Day-of-week field (number, name or symbol).', time: 'A shortcut such as `:daily` or `:reboot` instead of the fields.', command: 'Command to run.', user: 'Whose crontab to edit (root by default).', mailto: 'Where cron mails output.', path: 'PATH for the command.', shell: 'Shell for the command.', home: 'HOME for the command.', environment: 'Other environment variables.' },
    actions: { create: 'Add or update the entry.', delete: 'Remove the entry.' },
  },
  cron_d: {
    summary: 'Writes a cron job as a file in /etc/cron.d.',
    properties: { cron_name: 'File name in /etc/cron.d; defaults to the resource name.', minute: 'Minute field.', hour: 'Hour field.', day: 'Day-of-month field.', month: 'Month field.', weekday: 'Day-of-week field.', predefined_value: 'A shortcut like `@daily` instead of the fields.', command: 'Command to run.', user: 'User the job runs as.', mailto: 'Where cron mails output.', comment: 'Comment written above the job.', random_delay: 'Random delay in seconds before the job starts.', mode: 'Mode of the cron.d file.' },
    actions: { create: 'Write the file.', create_if_missing: 'Write the file only when it does not exist.', delete: 'Remove the file.' },
  },
  sudo: {
    summary: 'Writes a sudoers fragment in /etc/sudoers.d, checked with visudo.',
    properties: { filename: 'Name of the fragment; defaults to the resource name.', users: 'Users the rule applies to.', groups: 'Groups the rule applies to (without `%`).', commands: 'Commands allowed (ALL by default).', runas: 'User the commands may run as.', nopasswd: 'Allow without a password.', host: 'Host the rule applies to.', defaults: 'Defaults lines for the fragment.', template: 'Use your own template for the fragment.', variables: 'Variables for that template.' },
    actions: { create: 'Write the fragment.', install: 'Same as create.', remove: 'Remove the fragment.', delete: 'Same as remove.' },
  },
  build_essential: {
    summary: 'Installs the compilers and tools needed to build software from source.',
    properties: { raise_if_unsupported: 'Fail on platforms it does not know.' },
    actions: { install: 'Install the build tools.', upgrade: 'Upgrade them.' },
  },
  ohai: {
    summary: 'Reloads Ohai data so later resources see changes made during the run.',
    properties: { plugin: 'Reload only this Ohai plugin.' },
    actions: { reload: 'Reload the data.' },
  },
  archive_file: {
    summary: 'Extracts an archive (tar, zip, 7z, …) into a directory.',
    properties: { ...SECURABLE, path: 'The archive file; defaults to the resource name.', destination: 'Directory to extract into.', overwrite: '`true`, `false` or `:auto` (replace changed files).', strip_components: 'Leading path parts to drop from each entry.', options: 'libarchive extraction options.' },
    actions: { extract: 'Extract the archive when the destination is missing or outdated.' },
  },
  git: {
    summary: 'Clones a git repository and keeps a checkout at a revision.',
    properties: { destination: 'Directory of the checkout; defaults to the resource name.', repository: 'URL of the repository.', revision: 'Branch, tag or commit to check out (HEAD by default).', user: 'User that owns the checkout.', group: 'Group that owns the checkout.', depth: 'Make a shallow clone of this depth.', enable_submodules: 'Also update submodules.', remote: 'Name of the remote.', ssh_wrapper: 'Script git uses for ssh (e.g. for a deploy key).', checkout_branch: 'Local branch name for the checkout.', environment: 'Environment variables for git.' },
    actions: { sync: 'Clone if missing, then fetch and check out `revision`.', checkout: 'Clone if missing; never update afterwards.', export: 'Check out without the .git directory.', diff: 'Not supported.', log: 'Not supported.' },
  },
  mount: {
    summary: 'Mounts a filesystem and can record it in /etc/fstab.',
    properties: { mount_point: 'Where to mount; defaults to the resource name.', device: 'Device, label, UUID or remote share to mount.', device_type: '`:device`, `:label` or `:uuid`.', fstype: 'Filesystem type (`auto` by default).', options: 'Mount options.', dump: 'fstab dump field.', pass: 'fstab fsck order field.', supports: 'What the mount can do (`remount`).' },
    actions: { mount: 'Mount it now.', umount: 'Unmount it.', unmount: 'Same as umount.', remount: 'Unmount and mount again.', enable: 'Add it to /etc/fstab.', disable: 'Remove it from /etc/fstab.' },
  },
  sysctl: {
    summary: 'Sets a kernel parameter now and persists it in /etc/sysctl.d.',
    properties: { key: 'Parameter name such as `vm.swappiness`; defaults to the resource name.', value: 'Value to set.', comment: 'Comment written into the file.', conf_dir: 'Directory of the persisted file.', ignore_error: 'Do not fail on unknown keys.' },
    actions: { apply: 'Set and persist the value.', remove: 'Remove the persisted value.' },
  },
  hostname: {
    summary: 'Sets the machine\'s hostname and keeps /etc/hosts in step.',
    properties: { hostname: 'The new hostname; defaults to the resource name.', fqdn: 'Fully qualified name for /etc/hosts.', ipaddress: 'Address for the /etc/hosts entry.', aliases: 'Extra names for the /etc/hosts entry.', windows_reboot: 'Reboot Windows after the change.' },
    actions: { set: 'Set the hostname.' },
  },
  notify_group: {
    summary: 'Groups notifications: when notified, it notifies everything it lists.',
    actions: { run: 'Fire its own notifications.' },
  },
  selinux_boolean: { summary: 'Sets an SELinux boolean.', properties: { boolean: 'Boolean name; defaults to the resource name.', value: 'On or off (`true`, `false`, `\'on\'`, `\'off\'`, 1, 0).', persistent: 'Keep the value across reboots.' }, actions: { set: 'Set the boolean.' } },
  selinux_state: { summary: 'Sets the SELinux mode (enforcing, permissive, disabled).', properties: { config_file: 'Path of the SELinux config file.', persistent: 'Also write the mode into the config file.', policy: 'Policy type, e.g. `targeted`.', automatic_reboot: 'Reboot when the change needs one.' }, actions: { enforcing: 'Switch to enforcing.', permissive: 'Switch to permissive.', disabled: 'Disable SELinux (needs a reboot).' } },
  selinux_port: { summary: 'Assigns an SELinux type to a network port.', properties: { port: 'Port or range; defaults to the resource name.', protocol: '`tcp` or `udp`.', secontext: 'SELinux type for the port.' }, actions: SELINUX_MANAGE },
  selinux_fcontext: { summary: 'Sets the SELinux context for files matching a path pattern.', properties: { file_spec: 'Path regex; defaults to the resource name.', secontext: 'SELinux type for the files.', file_type: 'Which kinds of files the rule covers (`a` for all).' }, actions: SELINUX_MANAGE },
  selinux_module: { summary: 'Compiles and installs an SELinux policy module.', properties: { module_name: 'Module name; defaults to the resource name.', source: 'Policy source file in the cookbook.', content: 'Policy source text.', cookbook: 'Cookbook that has the source.', base_dir: 'Directory for the module files.' }, actions: { create: 'Compile and install the module.', delete: 'Remove the module files.', install: 'Install the compiled module.', remove: 'Uninstall the module.' } },
  selinux_install: { summary: 'Installs the SELinux tools and policy packages.', properties: { packages: 'Packages to install instead of the defaults.' }, actions: { install: 'Install the packages.', upgrade: 'Upgrade them.', remove: 'Remove them.' } },
  timezone: { summary: 'Sets the system time zone.', properties: { timezone: 'Zone name such as `Europe/Paris`; defaults to the resource name.' }, actions: { set: 'Set the time zone.' } },
  locale: { summary: 'Sets the system locale.', properties: { lang: 'Value of LANG, e.g. `en_US.UTF-8`.', lc_env: 'Hash of other LC_* variables.' }, actions: { update: 'Generate and set the locale.' } },
  swap_file: { summary: 'Creates and enables a swap file.', properties: { path: 'Path of the swap file; defaults to the resource name.', size: 'Size in megabytes.', persist: 'Add it to /etc/fstab.', swappiness: 'Kernel swappiness to set.', timeout: 'Seconds to wait while creating the file.' }, actions: { create: 'Create and enable the swap file.', remove: 'Disable and delete it.' } },
  kernel_module: { summary: 'Loads, persists or blacklists a Linux kernel module.', properties: { modname: 'Module name; defaults to the resource name.', options: 'Module options to persist.', load_dir: 'Directory for modules-load files.', unload_dir: 'Directory for modprobe files.' }, actions: { install: 'Load it now and at boot.', uninstall: 'Unload it and stop loading at boot.', blacklist: 'Never load it automatically.', disable: 'Prevent it from loading at all.', enable: 'Undo disable.', load: 'Load it now only.', unload: 'Unload it now only.' } },
  http_request: { summary: 'Sends an HTTP request during the converge (every run, unless guarded).', properties: { url: 'Address to call.', message: 'Request body.', headers: 'Request headers.' }, actions: { get: 'Send a GET.', post: 'Send a POST.', put: 'Send a PUT.', patch: 'Send a PATCH.', delete: 'Send a DELETE.', head: 'Send a HEAD.', options: 'Send an OPTIONS.' } },
  chef_sleep: { summary: 'Pauses the converge for some seconds.', properties: { seconds: 'How long to wait.' }, actions: { sleep: 'Wait.' } },
  user_ulimit: { summary: 'Writes per-user resource limits to /etc/security/limits.d.', properties: { username: 'User (or `*`); defaults to the resource name.', filehandle_limit: 'Open files limit.', process_limit: 'Process count limit.', memory_limit: 'Memory lock limit.', filename: 'Name of the limits file.' }, actions: { create: 'Write the limits file.', delete: 'Remove it.' } },
};

// Chef resolves `user` to linux_user on Linux; both read the same docs.
DOCS.linux_user = DOCS.user;

/** The one-line description of a resource type, if we have one. */
export function resourceDoc(name: string): string | undefined {
  return DOCS[name]?.summary;
}

/** The doc of a property (or of a common one: `action`, `notifies`, `only_if`, …) for a resource. */
export function propertyDoc(resource: string, prop: string): string | undefined {
  return DOCS[resource]?.properties?.[prop] ?? COMMON_PROPERTIES[prop];
}

/** The doc of an action of a resource (`nothing` is documented for all). */
export function actionDoc(resource: string, action: string): string | undefined {
  return DOCS[resource]?.actions?.[action] ?? COMMON_ACTIONS[action];
}

/** The resources we document, for coverage tests. */
export function documentedResources(): string[] {
  return Object.keys(DOCS);
}

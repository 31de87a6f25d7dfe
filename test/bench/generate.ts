/**
 * Generates synthetic cookbook workspaces for the benchmarks (never committed): `generateWorkspace`,
 * simple ones (many small recipes of built-in resources), and `generateRealShaped`, with what makes
 * real cookbooks slow to analyse.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

function recipe(cb: string, i: number, resources: number): string {
  const lines = [`# Recipe ${i} of ${cb}`, `base = node['${cb}']['root']`, `users = node['${cb}']['users']`, ''];
  for (let r = 0; r < resources; r++) {
    switch (r % 5) {
      case 0: lines.push(`directory ::File.join(base, 'd${i}_${r}') do`, `  owner 'root'`, `  mode '0755'`, `  recursive true`, `end`, ''); break;
      case 1: lines.push(`template "/etc/${cb}/conf${i}_${r}.conf" do`, `  source 'app.conf.erb'`, `  mode '0644'`, `  variables(port: node['${cb}']['port'] + ${r})`, `  notifies :restart, 'service[${cb}]', :delayed`, `end`, ''); break;
      case 2: lines.push(`users.each do |u|`, `  user "#{u}${i}_${r}" do`, `    shell '/bin/bash'`, `    manage_home false`, `  end`, `end`, ''); break;
      case 3: lines.push(`package 'pkg${i}_${r}' do`, `  action :install`, `  not_if 'dpkg -s pkg${i}_${r}'`, `end`, ''); break;
      default: lines.push(`execute 'step ${i}_${r}' do`, `  command "echo #{base} > /tmp/step${i}_${r}"`, `  creates '/tmp/step${i}_${r}'`, `  only_if { platform_family?('debian') }`, `end`, ''); break;
    }
  }
  return lines.join('\n') + '\n';
}

/** A workspace of `cookbooks` cookbooks, each with `recipes` recipes of `resources` resources. */
export function generateWorkspace(dir: string, cookbooks: number, recipes: number, resources: number): { files: number; lines: number } {
  fs.rmSync(dir, { recursive: true, force: true });
  let files = 0, lines = 0;
  const write = (p: string, text: string) => { fs.mkdirSync(path.dirname(p), { recursive: true }); fs.writeFileSync(p, text); files++; lines += text.split('\n').length; };
  for (let c = 0; c < cookbooks; c++) {
    const cb = `cb${c}`;
    const root = path.join(dir, 'cookbooks', cb);
    write(path.join(root, 'metadata.rb'), `name '${cb}'\nversion '1.0.${c}'\n${c > 0 ? `depends 'cb${c - 1}'\n` : ''}`);
    write(path.join(root, 'attributes/default.rb'), `default['${cb}']['root'] = '/srv/${cb}'\ndefault['${cb}']['port'] = ${8000 + c}\ndefault['${cb}']['users'] = %w(alice bob)\n`);
    write(path.join(root, 'templates/app.conf.erb'), `port <%= @port %>\n`);
    write(path.join(root, 'resources/site.rb'), `property :port, Integer, default: 80\n\naction :create do\n  file "/etc/site-#{new_resource.name}" do\n    content new_resource.port.to_s\n  end\nend\n`);
    const recipeBodies = [];
    for (let i = 0; i < recipes; i++) recipeBodies.push(recipe(cb, i, resources));
    recipeBodies[0] += `service '${cb}' do\n  action [:enable, :start]\nend\n`;
    for (let i = 1; i < recipes; i++) recipeBodies[0] = `include_recipe '${cb}::r${i}'\n` + recipeBodies[0];
    recipeBodies.forEach((body, i) => write(path.join(root, 'recipes', i === 0 ? 'default.rb' : `r${i}.rb`), body));
  }
  return { files, lines };
}

/** One recipe with `n` resources, in a single cookbook. */
export function generateBigRecipe(dir: string, n: number): string {
  fs.rmSync(dir, { recursive: true, force: true });
  generateWorkspace(dir, 1, 1, n);
  return path.join(dir, 'cookbooks/cb0/recipes/default.rb');
}

export interface RealShape {
  /** How many cookbooks. */
  cookbooks: number;
  /** Recipes per cookbook besides default.rb (each ~`recipeLines` lines). */
  recipes: number;
  /** Length of each dependency chain: cookbook i depends on i-1 unless i is a multiple of it (1: no dependencies). */
  chain: number;
  /** Lines of an ordinary recipe. */
  recipeLines?: number;
  /** Every `longEvery`-th cookbook has a recipe of `longLines` lines (0: none). */
  longEvery?: number;
  longLines?: number;
}

const camel = (name: string) => name.replace(/(^|_)(\w)/g, (_m, _u, c: string) => c.toUpperCase());

/**
 * A workspace shaped like community cookbooks ("Real cookbooks, part 1"): per cookbook a metadata
 * with `depends` on the previous cookbook of its chain; attribute files with platform branches
 * that read what dependencies set; a helper library (included into Chef::Recipe and
 * Chef::Resource) with self-recursive helpers (a deep merge, a recursive config renderer); a custom
 * resource whose properties and actions are made in loops; an LWRP-style definition; templates
 * rendering a partial; recipes of the usual resources, loops, guards and notifications; a long
 * recipe in some cookbooks; default.rb including every recipe of its cookbook. A dependency is
 * used as real wrappers use one (its resource type, helpers and attributes), not by including its
 * recipes: then the work of checking every cookbook of a chain could not be linear in its length.
 */
export function generateRealShaped(dir: string, shape: RealShape): { files: number; lines: number; rubyFiles: number } {
  fs.rmSync(dir, { recursive: true, force: true });
  let files = 0, lines = 0, rubyFiles = 0;
  const write = (p: string, text: string) => {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    files++; lines += text.split('\n').length; if (p.endsWith('.rb')) rubyFiles++;
  };
  const recipeLines = shape.recipeLines ?? 120;
  for (let c = 0; c < shape.cookbooks; c++) {
    const cb = `app${c}`;
    const dep = shape.chain > 1 && c % shape.chain !== 0 ? `app${c - 1}` : undefined;
    const root = path.join(dir, 'cookbooks', cb);
    const w = (rel: string, text: string) => write(path.join(root, rel), text);
    w('metadata.rb', [`name '${cb}'`, `maintainer 'Bench'`, `license 'Apache-2.0'`, `description 'Installs and configures ${cb}'`, `version '2.${c}.0'`,
      `chef_version '>= 16.0'`, `%w(debian ubuntu centos almalinux).each do |os|`, `  supports os`, `end`, ...(dep ? [`depends '${dep}', '>= 2.0'`] : []), ''].join('\n'));
    w('attributes/default.rb', attributesDefault(cb, dep));
    w('attributes/service.rb', attributesService(cb));
    w('libraries/helpers.rb', helpersLibrary(cb));
    w('libraries/config_renderer.rb', rendererLibrary(cb));
    w('resources/site.rb', siteResource(cb));
    w('resources/instance.rb', instanceResource(cb));
    w('definitions/vhost.rb', definition(cb));
    w('templates/site.conf.erb', `# <%= @name %>\n<%= render 'header.erb', variables: { title: @name } %>\nlisten <%= @port %>\n<% @options.each do |k, v| -%>\n<%= k %> = <%= v %>\n<% end -%>\n<%= render 'footer.erb' %>\n`);
    w('templates/header.erb', `# <%= @title %> managed by Chef\n`);
    w('templates/footer.erb', `# end of <%= node['${cb}']['name'] %>\n`);
    w('templates/vhost.conf.erb', `<VirtualHost *:<%= @params[:port] %>>\n  ServerName <%= @params[:name] %>\n</VirtualHost>\n`);
    w('files/motd', `welcome to ${cb}\n`);
    const names = Array.from({ length: shape.recipes }, (_, i) => (shape.longEvery && c % shape.longEvery === 0 && i === 0 ? 'long' : `part${i}`));
    names.forEach((name, i) => {
      // The long recipe includes the others as it goes (include_recipe runs each once).
      const includes = name === 'long' ? names.slice(1).map((n) => `${cb}::${n}`) : [];
      w(`recipes/${name}.rb`, realRecipe(cb, dep, i, name === 'long' ? shape.longLines ?? 1200 : recipeLines, includes));
    });
    w('recipes/default.rb', [
      `# The entry point: everything ${cb} does.`,
      ...names.map((n) => `include_recipe '${cb}::${n}'`),
      `service node['${cb}']['service'] do`, `  supports restart: true, reload: true`, `  action %i(enable start)`, 'end',
      `${cb}_instance node['${cb}']['name'] do`, `  port node['${cb}']['port']`, `  action [:create, :start]`, 'end', '',
    ].join('\n'));
  }
  return { files, lines, rubyFiles };
}

function attributesDefault(cb: string, dep: string | undefined): string {
  return [
    `default['${cb}']['name'] = '${cb}'`,
    `default['${cb}']['port'] = 8080`,
    `default['${cb}']['user'] = '${cb}'`,
    `default['${cb}']['packages'] = %w(curl git vim)`,
    `default['${cb}']['sites'] = %w(alpha beta gamma)`,
    `default['${cb}']['config'] = {`,
    `  'server' => { 'workers' => 4, 'log' => { 'level' => 'info', 'dir' => '/var/log/${cb}' } },`,
    `  'cache' => { 'size' => '64m', 'ttl' => 300 },`,
    `}`,
    dep ? `default['${cb}']['parent_root'] = node['${dep}']['root']` : `default['${cb}']['parent_root'] = '/srv'`,
    `default['${cb}']['root'] = "#{node['${cb}']['parent_root']}/${cb}"`,
    '',
    `case node['platform_family']`,
    `when 'debian'`,
    `  default['${cb}']['service'] = '${cb}'`,
    `  default['${cb}']['conf_dir'] = '/etc/${cb}'`,
    `  default['${cb}']['packages'] += %w(${cb}-common)`,
    `when 'rhel', 'fedora', 'amazon'`,
    `  default['${cb}']['service'] = '${cb}d'`,
    `  default['${cb}']['conf_dir'] = '/etc/${cb}.d'`,
    `else`,
    `  default['${cb}']['service'] = '${cb}'`,
    `  default['${cb}']['conf_dir'] = '/usr/local/etc/${cb}'`,
    `end`,
    '',
    `default['${cb}']['version'] = value_for_platform(`,
    `  %w(debian ubuntu) => { 'default' => '2.4' },`,
    `  %w(centos almalinux) => { '< 8' => '2.2', 'default' => '2.4' },`,
    `  'default' => '2.0'`,
    `)`,
    ...Array.from({ length: 30 }, (_, i) => `default['${cb}']['tunables']['key${i}'] = ${i % 3 === 0 ? `'value${i}'` : i}`),
    '',
  ].join('\n');
}

function attributesService(cb: string): string {
  return [
    `include_attribute '${cb}::default'`,
    `default['${cb}']['service_config'] = {`,
    `  'name' => node['${cb}']['service'],`,
    `  'user' => node['${cb}']['user'],`,
    `  'dir' => node['${cb}']['conf_dir'],`,
    `}`,
    `if platform_family?('rhel')`,
    `  override['${cb}']['selinux'] = true`,
    `else`,
    `  default['${cb}']['selinux'] = false`,
    `end`,
    `default['${cb}']['listen'] = node['${cb}']['sites'].map { |s| "#{s}:#{node['${cb}']['port']}" }`,
    '',
  ].join('\n');
}

function helpersLibrary(cb: string): string {
  const mod = camel(cb);
  return [
    `module ${mod}`,
    `  module Helpers`,
    `    # Merges nested hashes, right wins (as Chef::Mixin::DeepMerge does for plain hashes).`,
    `    def ${cb}_deep_merge(left, right)`,
    `      return right unless left.is_a?(Hash) && right.is_a?(Hash)`,
    ``,
    `      left.merge(right) { |_key, l, r| ${cb}_deep_merge(l, r) }`,
    `    end`,
    ``,
    `    def ${cb}_settings(overrides = {})`,
    `      ${cb}_deep_merge(node['${cb}']['config'].to_h, overrides)`,
    `    end`,
    ``,
    `    def ${cb}_conf_path(name)`,
    `      ::File.join(node['${cb}']['conf_dir'], "#{name}.conf")`,
    `    end`,
    ``,
    `    def ${cb}_flatten(hash, prefix = nil)`,
    `      hash.each_with_object({}) do |(k, v), out|`,
    `        key = prefix ? "#{prefix}.#{k}" : k.to_s`,
    `        if v.is_a?(Hash)`,
    `          out.merge!(${cb}_flatten(v, key))`,
    `        else`,
    `          out[key] = v`,
    `        end`,
    `      end`,
    `    end`,
    ``,
    `    def ${cb}_supported?`,
    `      platform_family?('debian', 'rhel') && node['platform_version'].to_f >= 7`,
    `    end`,
    `  end`,
    `end`,
    ``,
    `Chef::DSL::Recipe.include(${mod}::Helpers)`,
    `Chef::Resource.include(${mod}::Helpers)`,
    '',
  ].join('\n');
}

function rendererLibrary(cb: string): string {
  const mod = camel(cb);
  return [
    `module ${mod}`,
    `  # Renders a nested hash as an indented config file, recursively.`,
    `  module ConfigRenderer`,
    `    def ${cb}_render(value, indent = 0)`,
    `      pad = '  ' * indent`,
    `      case value`,
    `      when Hash`,
    `        value.sort.map do |k, v|`,
    `          if v.is_a?(Hash)`,
    `            "#{pad}#{k} {\\n#{${cb}_render(v, indent + 1)}#{pad}}\\n"`,
    `          else`,
    `            "#{pad}#{k} #{${cb}_render(v, 0)}"`,
    `          end`,
    `        end.join`,
    `      when Array`,
    `        value.map { |v| ${cb}_render(v, indent) }.join(' ') + "\\n"`,
    `      else`,
    `        "#{value}\\n"`,
    `      end`,
    `    end`,
    `  end`,
    `end`,
    ``,
    `Chef::Recipe.send(:include, ${mod}::ConfigRenderer)`,
    `Chef::Resource.send(:include, ${mod}::ConfigRenderer)`,
    '',
  ].join('\n');
}

function siteResource(cb: string): string {
  return [
    `unified_mode true`,
    `provides :${cb}_site`,
    ``,
    `property :site_name, String, name_property: true`,
    `property :port, Integer, default: 80`,
    `%i(owner group).each do |p|`,
    `  property p, String, default: 'root'`,
    `end`,
    `[:docroot, :log_dir].each { |p| property p, String }`,
    `property :options, Hash, default: {}`,
    ``,
    `%w(create enable disable).each do |a|`,
    `  action a.to_sym do`,
    `    conf = ${cb}_conf_path(new_resource.site_name)`,
    `    settings = ${cb}_deep_merge(${cb}_settings, 'site' => { 'name' => new_resource.site_name, 'port' => new_resource.port })`,
    `    template conf do`,
    `      source 'site.conf.erb'`,
    `      owner new_resource.owner`,
    `      group new_resource.group`,
    `      variables(name: new_resource.site_name, port: new_resource.port, options: ${cb}_flatten(settings))`,
    `      action a == 'disable' ? :delete : :create`,
    `    end`,
    `    file "#{conf}.rendered" do`,
    `      content ${cb}_render(settings)`,
    `      action a == 'disable' ? :delete : :create`,
    `    end`,
    `  end`,
    `end`,
    '',
  ].join('\n');
}

function instanceResource(cb: string): string {
  return [
    `unified_mode true`,
    `provides :${cb}_instance`,
    ``,
    `property :instance_name, String, name_property: true`,
    `property :port, Integer, default: 8080`,
    `property :user, String, default: lazy { node['${cb}']['user'] }`,
    `property :service_name, String, default: lazy { node['${cb}']['service'] }`,
    ``,
    `action_class do`,
    `  def unit_path`,
    `    "/etc/systemd/system/#{new_resource.service_name}-#{new_resource.instance_name}.service"`,
    `  end`,
    `end`,
    ``,
    `action :create do`,
    `  user new_resource.user do`,
    `    system true`,
    `    shell '/bin/false'`,
    `  end`,
    `  node['${cb}']['packages'].each do |pkg|`,
    `    package pkg`,
    `  end`,
    `  ${cb}_site new_resource.instance_name do`,
    `    port new_resource.port`,
    `    docroot "/srv/#{new_resource.instance_name}"`,
    `  end`,
    `  systemd_unit ::File.basename(unit_path) do`,
    `    content(Unit: { Description: new_resource.instance_name }, Service: { ExecStart: '/usr/bin/${cb}', User: new_resource.user })`,
    `    action [:create, :enable]`,
    `  end`,
    `end`,
    ``,
    `%i(start stop restart).each do |verb|`,
    `  action verb do`,
    `    service "#{new_resource.service_name}-#{new_resource.instance_name}" do`,
    `      action verb`,
    `    end`,
    `  end`,
    `end`,
    '',
  ].join('\n');
}

function definition(cb: string): string {
  return [
    `define :${cb}_vhost, port: 80, enable: true do`,
    `  template "/etc/${cb}/vhosts/#{params[:name]}.conf" do`,
    `    source 'vhost.conf.erb'`,
    `    variables(params: params)`,
    `    only_if { params[:enable] }`,
    `  end`,
    `end`,
    '',
  ].join('\n');
}

/** A recipe of about `lines` lines: the usual resources, helpers, loops, guards, notifications, definitions. */
function realRecipe(cb: string, dep: string | undefined, i: number, lines: number, includes: string[]): string {
  const out: string[] = [
    `# Recipe ${i} of ${cb}`,
    `settings = ${cb}_settings('recipe' => { 'index' => ${i} })`,
    `conf_dir = node['${cb}']['conf_dir']`,
    '',
    // What a dependency gives: its resource type, its helpers and its attributes.
    ...(dep ? [`${dep}_site '${cb}-${i}-on-${dep}' do`, `  port node['${dep}']['port']`, `  docroot ${dep}_conf_path('${cb}')`, `end`, ''] : []),
  ];
  for (let r = 0; out.length < lines; r++) {
    const id = `${cb}_${i}_${r}`;
    if (r % 7 === 6 && includes.length) out.push(`include_recipe '${includes.shift()}'`, '');
    switch (r % 10) {
      case 0: out.push(`directory ::File.join(conf_dir, 'd${id}') do`, `  owner node['${cb}']['user']`, `  mode '0755'`, `  recursive true`, `end`, ''); break;
      case 1: out.push(`template "#{conf_dir}/conf${id}.conf" do`, `  source 'site.conf.erb'`, `  mode '0644'`, `  variables(name: 'c${id}', port: node['${cb}']['port'] + ${r}, options: ${cb}_flatten(settings))`, `  notifies :restart, "service[#{node['${cb}']['service']}]", :delayed`, `end`, ''); break;
      case 2: out.push(`node['${cb}']['sites'].each do |site|`, `  ${cb}_site "#{site}-${id}" do`, `    port ${8000 + r}`, `    options('tier' => site)`, `  end`, `end`, ''); break;
      case 3: out.push(`package 'pkg${id}' do`, `  action :install`, `  not_if "dpkg -s pkg${id}"`, `end`, ''); break;
      case 4: out.push(`if platform_family?('debian')`, `  execute 'apt step ${id}' do`, `    command "echo #{node['${cb}']['root']} > /tmp/step${id}"`, `    creates '/tmp/step${id}'`, `  end`, `else`, `  execute 'yum step ${id}' do`, `    command 'true'`, `    only_if { ::File.exist?('/etc/redhat-release') }`, `  end`, `end`, ''); break;
      case 5: out.push(`file "#{conf_dir}/rendered${id}.conf" do`, `  content ${cb}_render(${cb}_deep_merge(settings, 'extra' => { 'id' => '${id}', 'list' => %w(a b c) }))`, `  sensitive false`, `end`, ''); break;
      case 6: out.push(`${cb}_vhost 'vhost${id}' do`, `  port ${9000 + r}`, `end`, ''); break;
      case 7: out.push(`node['${cb}']['packages'].each_with_index do |pkg, n|`, `  link "/usr/local/bin/#{pkg}${id}" do`, `    to "/usr/bin/#{pkg}"`, `    only_if { n.even? }`, `  end`, `end`, ''); break;
      case 8: out.push(`cookbook_file '/etc/motd${id}' do`, `  source 'motd'`, `  mode '0644'`, `  action :create_if_missing`, `end`, ''); break;
      default: out.push(`ruby_block 'reload ${id}' do`, `  block do`, `    Chef::Log.info('reloaded ${id}')`, `  end`, `  action :nothing`, `  subscribes :run, "template[#{conf_dir}/conf${cb}_${i}_1.conf]", :delayed`, `end`, ''); break;
    }
  }
  return out.join('\n') + '\n';
}

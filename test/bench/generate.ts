/** Generates synthetic but realistic cookbook workspaces for the benchmarks (never committed). */
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

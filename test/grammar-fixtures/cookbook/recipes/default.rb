# package 'not-a-resource' do  (a comment stays a comment)
include_recipe 'webserver::users'
include_recipe "apt"

apt_update

package %w(nginx curl)

package 'nginx' do
  version node['nginx']['version']
  action :install
end

template '/etc/nginx/nginx.conf' do
  source 'nginx.conf.erb'
  owner 'root'
  group 'root'
  mode '0644'
  variables(port: node['nginx']['port'], workers: node.default['nginx']['workers'])
  notifies :reload, 'service[nginx]', :delayed
  notifies :restart, "service[#{svc}]", :immediately
  not_if { ::File.exist?('/etc/nginx/.managed') }
end

service 'nginx' do
  supports status: true, restart: true
  action [:enable, :start]
  subscribes :restart,
             'template[/etc/nginx/nginx.conf]'
end

bash 'compile' do
  cwd '/tmp'
  user 'build'
  code <<-EOH
    make && make install
end
  EOH
  only_if 'test -f /tmp/Makefile'
  creates '/usr/local/bin/app'
end

webserver_site 'default' do
  root_dir '/var/www'
  notifies :run, 'execute[reload]', :before
  action :create
end

%w(a b).each do |name|
  directory "/srv/#{name}" do
    recursive true
    retries 2
  end
end

ruby_block 'wait' do
  block do
    sleep 1 until ::File.exist?(node['app']['ready_file'])
  end
  action :run
end

describe 'not a resource' do
  it 'is a spec' do
  end
end

file = 'x'

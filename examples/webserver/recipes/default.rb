#
# Cookbook:: webserver
# Recipe:: default
#
include_recipe 'webserver::packages'

web_user  = node['webserver']['user']
web_group = node['webserver']['group']
root      = node['webserver']['root']
docroot   = node['webserver']['docroot']

group web_group do
  system true
end

user web_user do
  group web_group
  system true
  home root
  manage_home false
  shell '/usr/sbin/nologin'
end

directory root do
  owner web_user
  group web_group
  mode '0755'
end

%w(htdocs cache logs).each do |d|
  directory ::File.join(root, d) do
    owner web_user
    group web_group
    mode d == 'htdocs' ? '0755' : '0750'
  end
end

node['webserver']['site_dirs'].each do |d|
  directory d do
    owner web_user
    group web_group
    mode '0750'
    recursive true
  end
end

template '/etc/nginx/conf.d/webserver.conf' do
  source 'webserver.conf.erb'
  owner 'root'
  group 'root'
  mode '0644'
  variables(
    port: node['webserver']['port'],
    docroot: docroot,
    workers: node['webserver']['workers'],
    base_port: node['webserver']['worker_base_port']
  )
  notifies :reload, 'service[nginx]', :delayed
end

file "#{docroot}/index.html" do
  content <<~HTML
    <!doctype html>
    <html>
      <head><title>webserver</title></head>
      <body><h1>Served by nginx, configured by Chef.</h1></body>
    </html>
  HTML
  owner web_user
  group web_group
  mode '0644'
end

link '/var/log/webserver' do
  to '/var/log/nginx'
end

cron_d 'webserver-healthcheck' do
  minute '*/5'
  user web_user
  command "curl -fsS -o /dev/null http://127.0.0.1:#{node['webserver']['port']}/"
end

execute 'record install time' do
  command 'date -u +%Y-%m-%dT%H:%M:%SZ > /var/lib/webserver/installed-at'
  creates '/var/lib/webserver/installed-at'
end

webserver_site 'default' do
  port node['webserver']['site']['port']
  server_name 'default.localhost'
end

service 'nginx' do
  supports status: true, restart: true, reload: true
  action [:enable, :start]
end

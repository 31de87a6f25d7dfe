# A static site: a docroot with an index page and an nginx server block.
unified_mode true
provides :webserver_site

property :site_name, String, name_property: true
property :port, Integer, default: 80
property :server_name, String, default: '_'
property :docroot, String, default: lazy { "/srv/webserver/sites/#{site_name}" }
property :index_content, String, default: "<h1>It works</h1>\n"

default_action :create

action :create do
  directory new_resource.docroot do
    owner node['webserver']['user']
    group node['webserver']['group']
    mode '0755'
    recursive true
  end

  file ::File.join(new_resource.docroot, 'index.html') do
    content new_resource.index_content
    owner node['webserver']['user']
    group node['webserver']['group']
    mode '0644'
  end

  template "/etc/nginx/conf.d/site-#{new_resource.site_name}.conf" do
    source 'site.conf.erb'
    mode '0644'
    variables(
      name: new_resource.site_name,
      port: new_resource.port,
      server_name: new_resource.server_name,
      docroot: new_resource.docroot
    )
    notifies :reload, 'service[nginx]', :delayed
  end
end

action :delete do
  file "/etc/nginx/conf.d/site-#{new_resource.site_name}.conf" do
    action :delete
    notifies :reload, 'service[nginx]', :delayed
  end
end

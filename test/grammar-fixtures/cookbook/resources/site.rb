unified_mode true
provides :webserver_site

property :root_dir, String, default: '/var/www'
property :port, Integer, default: 80

default_action :create

action :create do
  template "/etc/nginx/sites-enabled/#{new_resource.name}" do
    source 'site.erb'
    variables(root: new_resource.root_dir)
    action :create
  end
end

#
# Cookbook:: webserver
# Recipe:: packages
#
if platform_family?('debian')
  apt_update 'webserver' do
    frequency 86_400
    action :periodic
  end
end

package %w(nginx curl)

package node['webserver']['cron_package']

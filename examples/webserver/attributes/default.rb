# Where and how nginx serves the demo site.
default['webserver']['port']        = 8080
default['webserver']['server_name'] = 'localhost'
default['webserver']['user']        = 'webserver'
default['webserver']['group']       = 'webserver'
default['webserver']['root']        = '/srv/webserver'
default['webserver']['docroot']     = '/srv/webserver/htdocs'

# Backend application workers that nginx proxies /app/ to, one port each.
default['webserver']['workers']           = 2
default['webserver']['worker_base_port']  = 9001

# Extra state directories, created by the default recipe.
default['webserver']['site_dirs'] = %w(/var/lib/webserver /var/cache/webserver)

# The second site, served by the webserver_site custom resource.
default['webserver']['site']['port'] = 8081

# The cron daemon is packaged under a different name per platform family.
default['webserver']['cron_package'] = value_for_platform_family(
  'debian' => 'cron',
  %w(rhel fedora amazon) => 'cronie',
  'default' => 'cron'
)

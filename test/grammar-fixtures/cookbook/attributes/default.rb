default['nginx']['port'] = 80
default['nginx']['workers'] = node['cpu']['total'] || 2
override['nginx'][:version] = '1.22.1'
force_default['nginx']['user'] = 'www-data'

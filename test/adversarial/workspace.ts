/**
 * The workspace the adversarial tier works in, made fresh in a temporary folder: a valid cookbook,
 * a cookbook whose default recipe receives the hostile inputs (with a valid recipe beside it), and a
 * secret file outside the workspace, reached through a symlink and through crafted URIs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';

/** A token only the secret file contains: an answer that mentions it read the file. */
export const SECRET = 'SECRET_TOKEN_3f9a1c';

export interface HostileWorkspace {
  /** The workspace folder (the secret file is outside it). */
  root: string;
  /** The recipe the hostile inputs are written to. */
  hostile: string;
  /** Valid recipes with a known finding each, in and beside the hostile cookbook. */
  valid: string[];
  /** URIs that lead outside the workspace. */
  outsideUris: string[];
  /** A named pipe outside the workspace: whoever opens it for reading can be seen doing so. */
  outsidePipe: string;
}

export function hostileWorkspace(base: string): HostileWorkspace {
  const root = path.join(base, 'ws');
  const write = (rel: string, text: string): string => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };
  const finding = "file '/tmp/valid' do\n  modee '0644'\nend\n";
  write('good/metadata.rb', "name 'good'\nversion '1.0.0'\n");
  write('good/attributes/default.rb', "default['good']['port'] = 80\n");
  const good = write('good/recipes/default.rb', `${finding}package 'curl'\n`);
  write('hostile/metadata.rb', "name 'hostile'\nversion '1.0.0'\ndepends 'good'\n");
  write('hostile/templates/default/x.erb', '<%= @v %>\n');
  const hostile = write('hostile/recipes/default.rb', 'file "/tmp/start"\n');
  const beside = write('hostile/recipes/valid.rb', finding);

  const outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(outside, 'recipes'), { recursive: true });
  const secret = path.join(outside, 'recipes', 'default.rb');
  fs.writeFileSync(secret, `file '${SECRET}' do\n  content '${SECRET}'\nend\n`);
  fs.writeFileSync(path.join(outside, 'metadata.rb'), "name 'outside'\nversion '1.0.0'\n");
  const link = path.join(root, 'hostile', 'linked.rb');
  fs.symlinkSync(secret, link);
  const secretUri = pathToFileURL(secret).toString();
  const outsidePipe = path.join(outside, 'recipes', 'pipe.rb');
  execFileSync('mkfifo', [outsidePipe]);
  return {
    outsidePipe,
    root,
    hostile,
    valid: [good, beside],
    outsideUris: [
      secretUri,
      pathToFileURL(link).toString(),
      `${pathToFileURL(root).toString()}/../outside/recipes/default.rb`,
      `${pathToFileURL(root).toString()}/%2e%2e/outside/recipes/default.rb`,
      secretUri.replace('file://', 'file://localhost'),
      'file:///etc/passwd',
      'file:///proc/self/environ',
    ],
  };
}

/**
 * JUnit XML of a `cloche test --matrix` run, for CI (`--junit FILE`): one `<testsuite>` for the
 * cookbook, one `<testcase>` per cell (named as Test Kitchen names the instance, `suite-platform`),
 * with `<failure>` (failed, incomplete, not idempotent), `<error>` (its test could not run) or
 * `<skipped>` (no image here) carrying the reason. The cookbook's and the converge's text is
 * escaped, and characters XML 1.0 cannot hold (control characters such as a colour escape in a
 * step's output, lone surrogates) become U+FFFD, so the file always parses.
 * Written here rather than with an XML library: the format is a dozen elements and attributes.
 */
import { countVerdicts, type CellResult } from './matrix';

/** Characters outside XML 1.0's `Char` production. */
const NOT_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text for an element's content or an attribute value (quotes escaped too; newlines in attributes kept as character references). */
export function xmlEscape(s: string, attribute = false): string {
  const text = s.replace(NOT_XML, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return attribute ? text.replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;') : text;
}

const time = (ms: number): string => (ms / 1000).toFixed(3);
const attrs = (a: Record<string, string | number>): string => Object.entries(a).map(([k, v]) => ` ${k}="${xmlEscape(String(v), true)}"`).join('');

/** The JUnit XML document of the results (`name`: the cookbook; `timestamp`: when the matrix started). */
export function junitXml(results: readonly CellResult[], opts: { name: string; durationMs: number; timestamp: Date; hostname?: string }): string {
  const c = countVerdicts(results);
  const failures = c.failed + c.incomplete + c['not-idempotent'];
  const totals = { tests: results.length, failures, errors: c.error, skipped: c.skipped, time: time(opts.durationMs) };
  const cases = results.map((r) => {
    const open = `    <testcase${attrs({ classname: opts.name, name: `${r.suite}-${r.platform}`, time: time(r.durationMs) })}`;
    // The host a cell ran on (`--host`), as a property CI reports show with the testcase.
    const head = r.host ? `${open}>\n      <properties>\n        <property${attrs({ name: 'host', value: r.host })}/>\n      </properties>` : undefined;
    const why = r.reason ?? r.verdict;
    const detail = [`suite ${r.suite}, platform ${r.platform}`, r.host ? `host ${r.host}` : '', r.image ? `image ${r.image}` : '', r.changed !== undefined ? `${r.changed} steps changed` : '', why]
      .filter(Boolean).join('\n');
    const body = (inner?: string): string => (inner === undefined ? (head ? `${head}\n    </testcase>` : `${open}/>`) : `${head ?? `${open}>`}\n      ${inner}\n    </testcase>`);
    switch (r.verdict) {
      case 'passed': return body();
      case 'skipped': return body(`<skipped${attrs({ message: why })}/>`);
      case 'error': return body(`<error${attrs({ message: why, type: 'error' })}>${xmlEscape(detail)}</error>`);
      default: return body(`<failure${attrs({ message: why, type: r.verdict })}>${xmlEscape(detail)}</failure>`);
    }
  });
  return ['<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: `cloche test --matrix ${opts.name}`, ...totals })}>`,
    `  <testsuite${attrs({ name: opts.name, ...totals, timestamp: opts.timestamp.toISOString().replace(/\.\d+Z$/, ''), ...(opts.hostname ? { hostname: opts.hostname } : {}) })}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    ''].join('\n');
}

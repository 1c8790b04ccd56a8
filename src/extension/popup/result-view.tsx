// A finished check: the verdict and its one lead sentence on top, and the facts and findings for
// the disclosure below. Pure: it draws the prepared description of src/view/describe-result.ts
// (the same one the CLI prints) and words nothing itself. The engine's summary sentence is left to
// the copied report: on top of the lead it would say the same thing twice. Every string lands in a
// text node, so what a server sent can never become markup.
import type { ComponentChildren } from 'preact';
import type { Result } from '../../core/result.js';
import type { ResultView as ResultWords } from '../../view/describe-result.js';
import { describeResult, type Finding, type Tone } from '../../view/describe-result.js';
import { msg } from '../shared/i18n.js';
import type { Site } from '../shared/site.js';
import { siteLabel } from '../shared/site.js';
import { Breakable, RawCode } from './breakable.js';
import { StateIcon } from './icons.js';

export function Headline(props: {
  tone: Tone | 'missing' | 'checking';
  title: string;
  site: Site | null;
  children?: ComponentChildren;
}) {
  return (
    <header class={`headline tone-${props.tone}`}>
      <StateIcon kind={props.tone} />
      <div>
        <h1>{props.title}</h1>
        {props.site && <p class="site">{siteLabel(props.site)}</p>}
      </div>
      {props.children}
    </header>
  );
}

function Fact(props: { label: string; children: ComponentChildren; testid?: string }) {
  return (
    <div class="fact" data-fact={props.testid}>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

function ProblemItem({ finding, whatToDo }: { finding: Finding; whatToDo: string }) {
  return (
    <li class={`problem severity-${finding.severity}`}>
      <p class="problem-message">
        <span class="severity">{finding.severity}</span> <Breakable text={finding.message} />
      </p>
      <p class="problem-meaning">{finding.meaning}</p>
      <p class="problem-action">
        <span class="what-to-do">{whatToDo}</span> {finding.action}
      </p>
    </li>
  );
}

export function describe(result: Result, now: Date): ResultWords {
  return describeResult(result, { now, translate: msg });
}

/** Verdict, one lead sentence, and for an error what it means and what to do. */
export function ResultTop(props: { words: ResultWords; result: Result; site: Site }) {
  const { words: view, result } = props;
  const { error } = view;
  return (
    <article class="result" data-verdict={view.verdict} data-checked-at={result.checkedAt}>
      <Headline tone={view.tone} title={view.headline} site={props.site} />
      <p class="lead">{view.lead}</p>
      {error && (
        <div class="error-box">
          <p>
            {error.meaning} <span class="what-to-do">{view.words.whatToDo}</span> {error.action}
          </p>
          <p class="detail">
            <Breakable text={error.message} /> <RawCode code={error.code} label={msg('popup_code')} />
          </p>
        </div>
      )}
    </article>
  );
}

/** The facts, every address, and the findings: what the disclosure holds. */
export function ResultDetails(props: { words: ResultWords; fromCache: boolean }) {
  const { words: view } = props;
  const { words } = view;
  return (
    <div class="result-details">
      <dl class="facts">
        {view.facts
          .filter((fact) => !fact.detail)
          .map((fact) => (
            <Fact key={fact.id} label={fact.label} testid={fact.id}>
              {fact.code ? (
                <>
                  {fact.code.plain} <RawCode code={fact.code.raw} label={msg('popup_code')} />
                </>
              ) : (
                <Breakable text={fact.value} />
              )}
            </Fact>
          ))}
        <Fact label={msg('fact_checked')} testid="checked">
          {props.fromCache ? msg('popup_checked_from_cache', [view.checked]) : view.checked}
        </Fact>
      </dl>
      {view.addresses.length > 1 && (
        <section class="addresses" aria-label={words.addresses}>
          <h2>{words.addresses}</h2>
          <ul>
            {view.addresses.map((a) => (
              <li key={a.label} class={`tone-text-${a.tone}`}>
                {a.label} — {a.headline}
              </li>
            ))}
          </ul>
        </section>
      )}
      {view.findings.length > 0 && (
        <section class="problems" aria-label={words.findings}>
          <h2>{words.findingsCount}</h2>
          <ul>
            {view.findings.map((finding, i) => (
              <ProblemItem key={`${finding.code}-${i}`} finding={finding} whatToDo={words.whatToDo} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

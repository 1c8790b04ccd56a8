// A finished check: the verdict and its one lead sentence on top, and for the disclosure below the
// facts, the server's certificates (when it has several), the findings, the owner's fix-it and
// what each browser does. Pure: it draws the prepared description of src/view/describe-result.ts
// (the same one the CLI prints) and words nothing itself. The engine's summary sentence is left to
// the copied report: on top of the lead it would say the same thing twice. Every string lands in a
// text node, so what a server sent can never become markup.
import type { ComponentChildren } from 'preact';
import type { Result } from '../../core/result.js';
import type { ResultView as ResultWords } from '../../view/describe-result.js';
import {
  describeResult,
  type Finding,
  type FixItView,
  type FixRecipeView,
  type Tone,
  type VariantView,
} from '../../view/describe-result.js';
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

/** One certificate of several: its key type, its verdict and how long its own staple lasts. */
function VariantItem({ variant }: { variant: VariantView }) {
  return (
    <li class="variant" data-verdict={variant.verdict}>
      <span class="variant-label">
        {variant.label} <span class="variant-offer">({variant.offer})</span>
      </span>
      <span class={`variant-verdict tone-text-${variant.tone}`}>{variant.headline}</span>
      <span class="variant-left">{variant.timeLeft}</span>
    </li>
  );
}

function Recipe({ recipe }: { recipe: FixRecipeView }) {
  return (
    <>
      <pre class="recipe" data-server={recipe.server}>
        <code>{recipe.lines.join('\n')}</code>
      </pre>
      <p class="detail">
        <Breakable text={recipe.documentation} />
      </p>
    </>
  );
}

/**
 * For the site's owner: the answering server's settings, or, when it does not say which it is,
 * every server's folded under its name (one open at a time would still push the browsers' sentences
 * far down).
 */
function FixIt({ fix }: { fix: FixItView }) {
  const one = fix.recipes.length === 1 ? fix.recipes[0] : undefined;
  return (
    <section class="fix-it" aria-label={fix.title}>
      <h2>{fix.title}</h2>
      {fix.lapsed && <p class="lapsed">{fix.lapsed}</p>}
      <p>
        <Breakable text={fix.server} /> {fix.intro}
      </p>
      {one ? (
        <Recipe recipe={one} />
      ) : (
        fix.recipes.map((recipe) => (
          <details key={recipe.server} class="recipe-choice">
            <summary>{recipe.name}</summary>
            <Recipe recipe={recipe} />
          </details>
        ))
      )}
    </section>
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
      {view.variants.length > 1 && (
        <section class="variants" aria-label={words.variants}>
          <h2>{words.variants}</h2>
          <ul>
            {view.variants.map((variant, i) => (
              <VariantItem key={`${variant.label}-${i}`} variant={variant} />
            ))}
          </ul>
        </section>
      )}
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
      {view.fixIt && <FixIt fix={view.fixIt} />}
      {view.browsers.length > 0 && (
        <section class="browsers" aria-label={words.browsers}>
          <h2>{words.browsers}</h2>
          <dl class="facts">
            {view.browsers.map((b) => (
              <Fact key={b.browser} label={b.name} testid={`browser-${b.browser}`}>
                {b.sentence}
              </Fact>
            ))}
          </dl>
        </section>
      )}
    </div>
  );
}

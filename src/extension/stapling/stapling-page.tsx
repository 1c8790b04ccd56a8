// "What is OCSP stapling?": a page inside the extension (it works offline and tells no server that
// it was read), linked from the popup. Every word from the message catalogue. Pure.
import { msg } from '../shared/i18n.js';

/** The page's sections: a heading key (or none) and its paragraph keys, in reading order. */
export const STAPLING_SECTIONS: readonly { heading: string | null; paragraphs: readonly string[] }[] = [
  { heading: null, paragraphs: ['stapling_p1'] },
  { heading: 'stapling_h_ocsp', paragraphs: ['stapling_p2'] },
  { heading: 'stapling_h_staple', paragraphs: ['stapling_p3'] },
  { heading: 'stapling_h_must', paragraphs: ['stapling_p4'] },
  { heading: 'stapling_h_this', paragraphs: ['stapling_p5', 'stapling_p6'] },
];

export function StaplingPage() {
  return (
    <main class="options stapling">
      <h1>{msg('stapling_title')}</h1>
      {STAPLING_SECTIONS.map((section, i) => (
        <section key={i}>
          {section.heading && <h2>{msg(section.heading)}</h2>}
          {section.paragraphs.map((key) => (
            <p key={key}>{msg(key)}</p>
          ))}
        </section>
      ))}
    </main>
  );
}

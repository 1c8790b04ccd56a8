// Long machine words (OpenSSL codes, URLs, serials) break at their separators rather than
// mid-word or off the edge: a <wbr> after each `_`, `/`, `.`, `:`, `-`, `,`. Text nodes only, so
// a server's string stays text.
import { Fragment } from 'preact';

const SEPARATOR = /([_/.:,-])/;

export function Breakable({ text }: { text: string }) {
  const parts = text.split(SEPARATOR);
  return (
    <>
      {parts.map((part, i) =>
        SEPARATOR.test(part) ? (
          <Fragment key={i}>
            {part}
            <wbr />
          </Fragment>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** A raw code shown small beside its explanation: `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`. */
export function RawCode({ code, label }: { code: string; label: string }) {
  return (
    <small class="raw-code" title={code}>
      {label} <code>{<Breakable text={code} />}</code>
    </small>
  );
}

/** JSX-like templates without a compile step: html`<p>${text}</p>` (htm bound to Preact's h). */
export { html } from 'htm/preact';

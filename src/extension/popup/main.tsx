// The popup page's entry: the real connector, the view, nothing else. The first render waits for
// what storage holds (a few milliseconds, no service worker involved), so the first paint already
// shows the verdict; the live state from the background follows.
import { render } from 'preact';
import { createPageApi, installBrowserMessages } from '../browser-api.js';
import { createConnector } from './connector.js';
import { Popup } from './popup.js';
import '../shared/theme.css';
import './popup.css';

installBrowserMessages();
const root = document.getElementById('app');
if (root) {
  const connector = createConnector(createPageApi(), location.search);
  void connector.start().then((start) => render(<Popup connector={connector} start={start} />, root));
}

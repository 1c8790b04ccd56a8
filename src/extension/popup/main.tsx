// The popup page's entry: the real connector, the view, nothing else.
import { render } from 'preact';
import { createPageApi, installBrowserMessages } from '../browser-api.js';
import { createConnector } from './connector.js';
import { Popup } from './popup.js';
import '../shared/theme.css';
import './popup.css';

installBrowserMessages();
const root = document.getElementById('app');
if (root) render(<Popup connector={createConnector(createPageApi(), location.search)} />, root);

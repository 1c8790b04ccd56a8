// The stapling explanation page's entry.
import { render } from 'preact';
import { installBrowserMessages } from '../browser-api.js';
import { msg } from '../shared/i18n.js';
import { StaplingPage } from './stapling-page.js';
import '../shared/theme.css';
import '../options/options.css';

installBrowserMessages();
document.title = msg('stapling_title');
const root = document.getElementById('app');
if (root) render(<StaplingPage />, root);

// The options page's entry.
import { render } from 'preact';
import { createPageApi, installBrowserMessages } from '../browser-api.js';
import { createOptionsStore } from './options-store.js';
import { OptionsPage } from './options.js';
import '../shared/theme.css';
import './options.css';

installBrowserMessages();
const root = document.getElementById('app');
if (root) render(<OptionsPage store={createOptionsStore(createPageApi())} />, root);

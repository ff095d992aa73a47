import { render } from 'solid-js/web';
import { App } from './app';
import { applyDocumentLang } from './i18n';
import './styles.css';

applyDocumentLang();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
render(() => <App />, root);

import { render } from 'preact';
import { Portal } from './portal';
import '../styles.css';
import './portal.css';

render(<Portal />, document.getElementById('app')!);
